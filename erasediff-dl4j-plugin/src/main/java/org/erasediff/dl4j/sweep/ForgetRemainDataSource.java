package org.erasediff.dl4j.sweep;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.erasediff.core.data.ForgetRemainSplit;

/**
 * Arbiter's data source for unlearning: the forget/remain split of a {@link SweepProblem}. Arbiter
 * builds data sources from a class and {@link Properties} (so that any worker can rebuild them);
 * {@link #properties(SweepProblem)} puts the problem into such properties, and {@link
 * #configure(Properties)} takes it out again. Both {@link #trainData()} and {@link #testData()} are
 * the split: candidates are scored on images they generate, not on held-out data.
 */
public final class ForgetRemainDataSource implements DataSource {

    /** The property holding the serialised problem (Base64). */
    public static final String PROBLEM = "erasediff.sweep.problem";

    private transient SweepProblem problem;
    private transient ForgetRemainSplit split;

    /** For Arbiter (configured afterwards). */
    public ForgetRemainDataSource() {
    }

    /**
     * The properties that configure this data source for {@code problem}.
     *
     * @throws IllegalArgumentException if the problem cannot be serialised
     */
    public static Properties properties(SweepProblem problem) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(problem);
        } catch (IOException e) {
            throw new IllegalArgumentException("the sweep problem " + problem.getClass().getName()
                    + " cannot be serialised: " + e.getMessage(), e);
        }
        Properties p = new Properties();
        p.setProperty(PROBLEM, Base64.getEncoder().encodeToString(bytes.toByteArray()));
        return p;
    }

    @Override
    public void configure(Properties properties) {
        String encoded = properties == null ? null : properties.getProperty(PROBLEM);
        if (encoded == null) {
            throw new IllegalArgumentException("property " + PROBLEM + " is missing: build the properties with "
                    + "ForgetRemainDataSource.properties(problem)");
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(
                Base64.getDecoder().decode(encoded)))) {
            problem = (SweepProblem) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalArgumentException("property " + PROBLEM + " does not hold a sweep problem: "
                    + e.getMessage(), e);
        }
        split = null;
    }

    /** The configured problem. */
    public SweepProblem problem() {
        if (problem == null) {
            throw new IllegalStateException("configure(properties) has not been called");
        }
        return problem;
    }

    @Override
    public ForgetRemainSplit trainData() {
        if (split == null) {
            try {
                split = problem().split();
            } catch (IOException e) {
                throw new UncheckedIOException("the forget/remain split cannot be read: " + e.getMessage(), e);
            }
        }
        return split;
    }

    @Override
    public ForgetRemainSplit testData() {
        return trainData();
    }

    @Override
    public Class<?> getDataType() {
        return ForgetRemainSplit.class;
    }
}
