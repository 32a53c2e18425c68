/**
 * The adapter that lets EraseDiff work on <em>any</em> SameDiff noise-prediction graph: the
 * user names the noisy-image, timestep and (optional) label placeholders and the output, and says
 * how timesteps and labels are fed ({@link org.erasediff.dl4j.graph.DiffusionGraphSpec}); the
 * spec is checked against the graph once, when {@link org.erasediff.dl4j.graph.DiffusionGraph}
 * is built. A known network may bring a hand-written forward for inference
 * ({@link org.erasediff.dl4j.graph.InferenceForward}), which the graph then uses for its
 * predictions.
 */
package org.erasediff.dl4j.graph;
