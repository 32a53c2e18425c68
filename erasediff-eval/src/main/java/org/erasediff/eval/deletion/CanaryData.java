package org.erasediff.eval.deletion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.erasediff.core.data.LabelledImages;

/**
 * Training data with canaries: chosen training images duplicated many times, the way duplicated
 * images get memorised by diffusion models in practice (Carlini et al. 2023), so that a model
 * trained or fine-tuned on it demonstrably memorises them — the model a deletion demo deletes
 * from.
 *
 * <p>Every canary appears {@code copies} times: the original and {@code copies − 1} duplicates,
 * appended after the original images, canary by canary in the order given. A duplicate needs a
 * sample id of its own: the duplicates are numbered from {@code firstDuplicateId}, one above the
 * largest id of the data, so the original ids (those a deletion request names) keep their meaning.
 *
 * @param data             the data with the duplicates
 * @param canaryIds        the canaries' sample ids, in the order given
 * @param copies           how often each canary appears, {@code >= 2}
 * @param firstDuplicateId the id of the first duplicate
 */
public record CanaryData(LabelledImages data, List<Integer> canaryIds, int copies, int firstDuplicateId) {

    /**
     * Duplicates the canaries of {@code data}.
     *
     * @param data      the training data
     * @param canaryIds sample ids of the canaries, distinct, each in the data
     * @param copies    how often each canary appears in the result, {@code >= 2}
     * @throws IllegalArgumentException if an id repeats or is not in the data, or copies is out of range
     */
    public static CanaryData duplicate(LabelledImages data, List<Integer> canaryIds, int copies) {
        if (canaryIds == null || canaryIds.isEmpty()) {
            throw new IllegalArgumentException("name at least one canary id");
        }
        if (new TreeSet<>(canaryIds).size() != canaryIds.size()) {
            throw new IllegalArgumentException("canary ids must be distinct, were " + canaryIds);
        }
        if (copies < 2) {
            throw new IllegalArgumentException("--canary-copies must be >= 2 (each canary's number of appearances), "
                    + "was " + copies);
        }
        Map<Integer, Integer> positions = new LinkedHashMap<>();
        int maxId = Integer.MIN_VALUE;
        for (int i = 0; i < data.size(); i++) {
            positions.put(data.id(i), i);
            maxId = Math.max(maxId, data.id(i));
        }
        TreeSet<Integer> missing = new TreeSet<>(canaryIds);
        missing.removeAll(positions.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " canary id(s) are not in " + data.name() + " (ids "
                    + "0.." + maxId + "), e.g. " + missing.first());
        }
        long extra = (long) canaryIds.size() * (copies - 1);
        if (data.size() + extra > Integer.MAX_VALUE / Math.max(1, data.imageSize()) || maxId + extra >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--canary-copies " + copies + " makes the data too large");
        }
        int n = data.size() + (int) extra;
        int sz = data.imageSize();
        byte[] px = new byte[n * sz];
        int[] labels = new int[n];
        int[] ids = new int[n];
        int k = 0;
        for (int i = 0; i < data.size(); i++, k++) {
            put(data, i, px, k);
            labels[k] = data.label(i);
            ids[k] = data.id(i);
        }
        int first = maxId + 1;
        for (int canary : canaryIds) {
            int i = positions.get(canary);
            for (int j = 1; j < copies; j++, k++) {
                put(data, i, px, k);
                labels[k] = data.label(i);
                ids[k] = first + (k - data.size());
            }
        }
        LabelledImages out = new LabelledImages(data.name() + "+canaries", data.channels(), data.height(),
                data.width(), data.numClasses(), px, labels, ids);
        return new CanaryData(out, List.copyOf(canaryIds), copies, first);
    }

    /**
     * How the data was made, for a model card: {@code canary_ids}, {@code canary_copies} (appearances
     * of each), {@code canary_duplicate_ids} (the range the duplicates' ids take) and {@code train_images}.
     */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("canary_ids", canaryIds);
        m.put("canary_copies", copies);
        m.put("canary_duplicate_ids", firstDuplicateId + ".." + (firstDuplicateId + canaryIds.size() * (copies - 1) - 1)
                + " (canary by canary, in canary_ids order)");
        m.put("train_images", data.size());
        return m;
    }

    private static void put(LabelledImages data, int i, byte[] px, int k) {
        int sz = data.imageSize();
        for (int p = 0; p < sz; p++) {
            px[k * sz + p] = (byte) data.pixel(i, p);
        }
    }
}
