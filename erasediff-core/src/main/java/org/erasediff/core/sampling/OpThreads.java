package org.erasediff.core.sampling;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shares ND4J's op threads between concurrent sampling workers. ND4J's thread count is one
 * setting for the whole process: while any concurrent sampling runs, each op gets the process's
 * threads divided by the number of workers (at least one), and the first setting comes back when
 * the last concurrent run ends.
 */
final class OpThreads {

    private static int active;
    private static int savedThreads;
    private static int savedMasterThreads;

    private OpThreads() {
    }

    /** An active share; closing it ends the share. */
    interface Share extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Starts sharing the op threads between {@code workers} workers.
     *
     * @param workers concurrent workers, {@code >= 2}
     * @return the share, to close exactly once
     */
    static synchronized Share share(int workers) {
        Environment env = Nd4j.getEnvironment();
        if (active == 0) {
            savedThreads = env.maxThreads();
            savedMasterThreads = env.maxMasterThreads();
            int each = Math.max(1, savedThreads / workers);
            env.setMaxThreads(each);
            env.setMaxMasterThreads(Math.max(1, Math.min(savedMasterThreads, each)));
        }
        active++;
        return OpThreads::release;
    }

    private static synchronized void release() {
        active--;
        if (active == 0) {
            Environment env = Nd4j.getEnvironment();
            env.setMaxThreads(savedThreads);
            env.setMaxMasterThreads(savedMasterThreads);
        }
    }
}
