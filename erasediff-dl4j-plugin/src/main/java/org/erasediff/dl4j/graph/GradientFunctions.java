package org.erasediff.dl4j.graph;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a SameDiff gradient function without SameDiff M2.1's "Added differentiated op …" lines:
 * it prints one per op to standard output (a hard-coded {@code System.out.println}, ~2,400 lines
 * for the reference UNet), which would bury a command's JSON result. Standard output is swapped
 * for a discarding stream while the function is built; anything else printed to it from another
 * thread in that window is lost too, so build gradient functions before concurrent work starts.
 */
public final class GradientFunctions {

    private static final Logger LOG = LoggerFactory.getLogger(GradientFunctions.class);
    private static final Object LOCK = new Object();

    private GradientFunctions() {
    }

    /**
     * {@code sd.createGradFunction()} with standard output silenced for its duration.
     *
     * @param sd the graph (its loss variables and training config already set)
     */
    public static void create(SameDiff sd) {
        synchronized (LOCK) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
        LOG.debug("gradient function built ({} ops)", sd.getFunction("grad").getOps().size());
    }
}
