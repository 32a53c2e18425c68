package org.erasediff.core.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Vector arithmetic on lists of per-parameter arrays, treated as one long vector made of all
 * their elements.
 *
 * <p>Every reduction writes each array's partial result into a double-precision scalar (so the
 * native kernel accumulates in double even for float arrays; a float accumulator loses about
 * 0.5 % on a million elements) and sums the partial results in double. Updates run in place
 * through native element-wise kernels; the only allocation per call is one scalar. Arrays may
 * be views and may have any ordering; paired arrays must have equal shapes and data types.
 * The class is stateless and thread-safe (as far as the caller does not mutate the same arrays
 * concurrently).
 */
public final class GradientVectors {

    private GradientVectors() {
    }

    /**
     * Inner product ⟨a, b⟩ over all elements of all arrays.
     *
     * @param a first vector; not modified
     * @param b second vector, paired array by array with {@code a}; not modified
     * @return the inner product, accumulated in double
     * @throws IllegalArgumentException if the lists differ in size, contain {@code null}, or a
     *                                  pair differs in shape or data type
     */
    public static double dot(List<INDArray> a, List<INDArray> b) {
        checkPaired(a, b, "a", "b", true);
        INDArray partial = Nd4j.scalar(DataType.DOUBLE, 0.0);
        double sum = 0.0;
        for (int i = 0; i < a.size(); i++) {
            INDArray x = a.get(i);
            if (x.isEmpty()) {
                continue;
            }
            Nd4j.getExecutioner().exec(new Dot(x, b.get(i), partial));
            sum += partial.getDouble(0);
        }
        return sum;
    }

    /**
     * Squared Euclidean norm ‖a‖² over all elements of all arrays.
     *
     * @param a the vector; not modified
     * @return the squared norm, accumulated in double (NaN or infinite if an element is)
     * @throws IllegalArgumentException if the list is {@code null} or contains {@code null}
     */
    public static double squaredNorm(List<INDArray> a) {
        checkList(a, "a");
        return dot(a, a);
    }

    /**
     * Euclidean norm ‖a‖ over all elements of all arrays.
     *
     * @param a the vector; not modified
     * @return {@code sqrt(squaredNorm(a))}
     */
    public static double norm(List<INDArray> a) {
        return Math.sqrt(squaredNorm(a));
    }

    /**
     * In-place update {@code target ← target + s·addend}, array by array.
     *
     * @param target  the vector to update; modified in place
     * @param s       the scale of the addend; {@code 0} returns at once, leaving {@code target}
     *                untouched even where {@code addend} holds NaN
     * @param addend  the vector to add, paired with {@code target}; not modified (it may be the
     *                same list as {@code target})
     * @throws IllegalArgumentException if the lists are not paired or {@code s} is not finite
     */
    public static void addScaledInPlace(List<INDArray> target, double s, List<INDArray> addend) {
        checkPaired(target, addend, "target", "addend", true);
        checkFinite(s, "s");
        if (s == 0.0) {
            return;
        }
        for (int i = 0; i < target.size(); i++) {
            INDArray y = target.get(i);
            if (y.isEmpty()) {
                continue;
            }
            Nd4j.getExecutioner().exec(new Axpy(addend.get(i), y, y, s));
        }
    }

    /**
     * In-place scaling {@code target ← s·target}, array by array.
     *
     * @param target the vector to scale; modified in place
     * @param s      the factor
     * @throws IllegalArgumentException if the list is {@code null}, contains {@code null}, or
     *                                  {@code s} is not finite
     */
    public static void scaleInPlace(List<INDArray> target, double s) {
        checkList(target, "target");
        checkFinite(s, "s");
        if (s == 1.0) {
            return;
        }
        for (INDArray x : target) {
            if (!x.isEmpty()) {
                x.muli(s);
            }
        }
    }

    /**
     * Copies every element of {@code source} into the paired array of {@code destination} (for
     * snapshots and restores into buffers allocated once, e.g. by {@link #allocateLike(List)}).
     *
     * @param source      the values to copy; not modified
     * @param destination the preallocated buffers; overwritten in place
     * @throws IllegalArgumentException if the lists differ in size, contain {@code null}, or a
     *                                  pair differs in shape (data types may differ: values are cast)
     */
    public static void copyInto(List<INDArray> source, List<INDArray> destination) {
        checkPaired(source, destination, "source", "destination", false);
        for (int i = 0; i < source.size(); i++) {
            INDArray dst = destination.get(i);
            if (!dst.isEmpty()) {
                dst.assign(source.get(i));
            }
        }
    }

    /**
     * Allocates one contiguous ('c' order) buffer per array with the same shape and data type,
     * holding a copy of its values. Meant to be called once, outside the training loop.
     *
     * @param source the arrays to mirror; not modified
     * @return new arrays owned by the caller, independent of {@code source}
     * @throws IllegalArgumentException if the list is {@code null} or contains {@code null}
     */
    public static List<INDArray> allocateLike(List<INDArray> source) {
        checkList(source, "source");
        List<INDArray> copies = new ArrayList<>(source.size());
        for (INDArray x : source) {
            INDArray copy = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
            copy.assign(x);
            copies.add(copy);
        }
        return copies;
    }

    static void checkList(List<INDArray> list, String name) {
        if (list == null) {
            throw new IllegalArgumentException(name + " must be a list of arrays, was null");
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new IllegalArgumentException(name + "[" + i + "] must be an array, was null");
            }
        }
    }

    static void checkPaired(List<INDArray> a, List<INDArray> b, String nameA, String nameB,
                            boolean sameType) {
        checkList(a, nameA);
        checkList(b, nameB);
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(nameA + " and " + nameB
                    + " must hold the same number of arrays, found " + a.size() + " and " + b.size());
        }
        for (int i = 0; i < a.size(); i++) {
            INDArray x = a.get(i);
            INDArray y = b.get(i);
            if (!Arrays.equals(x.shape(), y.shape())) {
                throw new IllegalArgumentException(nameA + "[" + i + "] and " + nameB + "[" + i
                        + "] must have the same shape, found " + Arrays.toString(x.shape()) + " and "
                        + Arrays.toString(y.shape()));
            }
            if (sameType && x.dataType() != y.dataType()) {
                throw new IllegalArgumentException(nameA + "[" + i + "] and " + nameB + "[" + i
                        + "] must have the same data type, found " + x.dataType() + " and " + y.dataType());
            }
        }
    }

    static void checkFinite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, was " + value);
        }
    }
}
