/**
 * Safe persistence: atomic file writes (temporary file in the same folder, then an atomic
 * rename), SameDiff graph save/load with clear errors for missing or corrupt files, and training
 * checkpoints that let long runs resume exactly.
 */
package org.erasediff.dl4j.checkpoint;
