/**
 * Generation of evaluation samples: batched, seeded, with progress lines and an on-disk cache so
 * the unchanged model's samples are generated once and reused.
 */
package org.erasediff.eval.generate;
