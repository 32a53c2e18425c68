/**
 * The fault matrix: the real {@code erasediff} CLI, started as a user starts it (a separate JVM),
 * killed with SIGKILL at seeded random moments and run again, fed corrupted inputs, poisoned with
 * NaN/Inf and starved of disk space, on tiny user models; every input's SHA-256 is checked before
 * and after every trial and every output tree is scanned for half-written files.
 * {@link org.erasediff.samples.faults.FaultMatrix} runs it ({@code .ci/faults}), the JUnit suite
 * {@code FaultMatrixTest} runs a reduced matrix in {@code mvn verify}.
 */
package org.erasediff.samples.faults;
