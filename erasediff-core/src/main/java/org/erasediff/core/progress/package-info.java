/** Progress reporting for long jobs: periodic log lines with rate and ETA. */
package org.erasediff.core.progress;
