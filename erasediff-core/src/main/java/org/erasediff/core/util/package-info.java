/**
 * Small utilities shared by the core packages; currently the deterministic split of one run seed
 * into independent random streams ({@link org.erasediff.core.util.RngStreams}).
 */
package org.erasediff.core.util;
