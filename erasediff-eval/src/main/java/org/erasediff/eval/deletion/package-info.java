/**
 * Deletion requests for individual images, with evidence: a request names training images by id
 * and content hash ({@link org.erasediff.eval.deletion.DeletionRequest}); the evidence about a
 * model for them ({@link org.erasediff.eval.deletion.DeletionEvidenceCollector}) is whether it
 * still generates near-copies of them (the memorisation check with a stated threshold rule),
 * whether a loss-based membership-inference attack
 * ({@link org.erasediff.eval.deletion.MembershipInference}) can still tell them from held-out
 * images, and the quality it keeps; before and after a deletion they make the
 * {@link org.erasediff.eval.deletion.DeletionReport}. {@link org.erasediff.eval.deletion.CanaryData}
 * builds the training data of a model that memorises chosen images, to delete them from.
 *
 * <p>Everything here works on any {@link org.erasediff.core.sampling.NoisePredictor} with its
 * {@link org.erasediff.core.schedule.NoiseSchedule}.
 */
package org.erasediff.eval.deletion;
