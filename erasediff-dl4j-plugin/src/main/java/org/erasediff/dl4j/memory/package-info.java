/**
 * Memory management for SameDiff sessions: {@link org.erasediff.dl4j.memory.StepArrayPool} recycles the
 * arrays of a training step or a prediction instead of allocating them afresh (M2.1's own array cache
 * corrupts results and is kept off), and {@link org.erasediff.dl4j.memory.MemoryGuard} keeps resident
 * native memory under a budget.
 */
package org.erasediff.dl4j.memory;
