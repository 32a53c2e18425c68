package org.erasediff.eval.deletion;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record of one deletion: what was asked, which model it was applied to and which model came
 * out, how, and the evidence before and after — the document a data-protection officer files.
 * Written and read by {@link DeletionReportWriter}.
 *
 * @param format            the format tag, {@link DeletionReportWriter#FORMAT}
 * @param title             a heading
 * @param request           the images the request names, with their hashes
 * @param inputModelSha256  SHA-256 of the model the images were deleted from
 * @param outputModelSha256 SHA-256 of the model written
 * @param method            the unlearning method and its settings (free-form JSON values)
 * @param evidenceSettings  how the evidence was measured (threshold rule, attack, sample counts)
 * @param before            the evidence about the input model
 * @param after             the evidence about the output model
 * @param timings           seconds by phase
 * @param versions          library and platform versions
 * @param command           the command line that made it
 * @param created           ISO-8601 time of writing
 */
public record DeletionReport(@JsonProperty("format") String format, @JsonProperty("title") String title,
                             @JsonProperty("request") DeletionRequest request,
                             @JsonProperty("inputModelSha256") String inputModelSha256,
                             @JsonProperty("outputModelSha256") String outputModelSha256,
                             @JsonProperty("method") Map<String, Object> method,
                             @JsonProperty("evidenceSettings") Map<String, Object> evidenceSettings,
                             @JsonProperty("before") DeletionEvidence before,
                             @JsonProperty("after") DeletionEvidence after,
                             @JsonProperty("timings") Map<String, Double> timings,
                             @JsonProperty("versions") Map<String, String> versions,
                             @JsonProperty("command") String command, @JsonProperty("created") String created) {

    /** Validates: every part present, the format known. */
    public DeletionReport {
        if (!DeletionReportWriter.FORMAT.equals(format)) {
            throw new IllegalArgumentException("not a deletion report of format " + DeletionReportWriter.FORMAT
                    + ": found '" + format + "'");
        }
        if (request == null || before == null || after == null || inputModelSha256 == null
                || outputModelSha256 == null) {
            throw new IllegalArgumentException("a deletion report needs the request, both model hashes and the "
                    + "evidence before and after");
        }
        method = copy(method);
        evidenceSettings = copy(evidenceSettings);
        timings = copy(timings);
        versions = copy(versions);
    }

    private static <V> Map<String, V> copy(Map<String, V> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
