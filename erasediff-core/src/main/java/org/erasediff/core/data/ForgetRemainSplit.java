package org.erasediff.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deletion request applied to a data set: the images to forget (D_f) and the images to keep
 * (D_r). The two never share a sample id and neither is empty.
 *
 * @param forget      the forget set D_f
 * @param remain      the remain set D_r
 * @param description how the split was made (e.g. "classes [0]" or "12 sample ids"), for provenance
 */
public record ForgetRemainSplit(LabelledImages forget, LabelledImages remain, String description) {

    /** Validates the split: both sets non-empty, same image shape, disjoint sample ids. */
    public ForgetRemainSplit {
        if (forget.size() == 0) {
            throw new IllegalArgumentException("the forget set is empty (" + description + "): nothing to unlearn");
        }
        if (remain.size() == 0) {
            throw new IllegalArgumentException("the remain set is empty (" + description
                    + "): EraseDiff needs data to keep");
        }
        if (forget.channels() != remain.channels() || forget.height() != remain.height()
                || forget.width() != remain.width()) {
            throw new IllegalArgumentException("forget images are " + forget.channels() + "x" + forget.height() + "x"
                    + forget.width() + " but remain images are " + remain.channels() + "x" + remain.height() + "x"
                    + remain.width());
        }
        Set<Integer> forgetIds = new HashSet<>();
        for (int i = 0; i < forget.size(); i++) {
            forgetIds.add(forget.id(i));
        }
        TreeSet<Integer> overlap = new TreeSet<>();
        for (int i = 0; i < remain.size(); i++) {
            if (forgetIds.contains(remain.id(i))) {
                overlap.add(remain.id(i));
            }
        }
        if (!overlap.isEmpty()) {
            throw new IllegalArgumentException("the forget and remain sets overlap in " + overlap.size()
                    + " sample id(s), e.g. " + firstFew(overlap) + ": a sample cannot be both forgotten and kept");
        }
    }

    /**
     * Forgets every image of the given classes; all others are kept.
     *
     * @throws IllegalArgumentException if no class is given, a class is out of range or has no image
     */
    public static ForgetRemainSplit byClasses(LabelledImages data, Collection<Integer> classes) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("no class to forget was given");
        }
        int[] counts = data.classCounts();
        for (int c : classes) {
            if (c < 0 || c >= data.numClasses()) {
                throw new IllegalArgumentException("class to forget " + c + " is out of range 0.."
                        + (data.numClasses() - 1) + " of " + data.name());
            }
            if (counts[c] == 0) {
                throw new IllegalArgumentException("class to forget " + c + " has no image in " + data.name());
            }
        }
        Set<Integer> set = new TreeSet<>(classes);
        List<Integer> f = new ArrayList<>();
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            (set.contains(data.label(i)) ? f : r).add(i);
        }
        String desc = "classes " + set + " of " + data.name();
        return new ForgetRemainSplit(data.subset(toArray(f), data.name() + "-forget"),
                data.subset(toArray(r), data.name() + "-remain"), desc);
    }

    /**
     * Forgets the images with the given sample ids; all others are kept.
     *
     * @throws IllegalArgumentException if no id is given, or an id is not in the set
     */
    public static ForgetRemainSplit bySampleIds(LabelledImages data, Collection<Integer> sampleIds) {
        if (sampleIds.isEmpty()) {
            throw new IllegalArgumentException("no sample id to forget was given");
        }
        Set<Integer> wanted = new TreeSet<>(sampleIds);
        List<Integer> f = new ArrayList<>();
        List<Integer> r = new ArrayList<>();
        Set<Integer> found = new HashSet<>();
        for (int i = 0; i < data.size(); i++) {
            if (wanted.contains(data.id(i))) {
                f.add(i);
                found.add(data.id(i));
            } else {
                r.add(i);
            }
        }
        TreeSet<Integer> missing = new TreeSet<>(wanted);
        missing.removeAll(found);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " sample id(s) to forget are not in " + data.name()
                    + ", e.g. " + firstFew(missing));
        }
        String desc = wanted.size() + " sample ids of " + data.name();
        return new ForgetRemainSplit(data.subset(toArray(f), data.name() + "-forget"),
                data.subset(toArray(r), data.name() + "-remain"), desc);
    }

    /** Classes present in the forget set, ascending. */
    public int[] forgetClasses() {
        int[] counts = forget.classCounts();
        return java.util.stream.IntStream.range(0, counts.length).filter(c -> counts[c] > 0).toArray();
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String firstFew(TreeSet<Integer> ids) {
        return Arrays.toString(ids.stream().limit(5).mapToInt(Integer::intValue).toArray());
    }
}
