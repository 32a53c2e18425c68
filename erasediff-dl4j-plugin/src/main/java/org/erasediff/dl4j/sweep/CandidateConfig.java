package org.erasediff.dl4j.sweep;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.unlearn.BaselineUnlearner;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;
import org.erasediff.dl4j.unlearn.Unlearner;

/**
 * One candidate of a sweep: a complete, validated method config plus the values the space chose
 * for it (for tables). Its JSON is the method config's own ({@link EraseDiffConfig#toJson()} or
 * {@link BaselineConfig#toJson()}), the form {@code unlearn --config} reads. Serialised (as Arbiter
 * and cluster runners do) through that JSON.
 */
public sealed interface CandidateConfig extends Serializable permits CandidateConfig.EraseDiff, CandidateConfig.Baseline {

    /** Method name of EraseDiff candidates. */
    String ERASEDIFF = "erasediff";

    /** @return {@code erasediff} or the baseline's name ({@code finetune}, {@code neggrad}, …) */
    String method();

    /** @return the method config as JSON, exactly as the config class writes it */
    String configJson();

    /** @return the swept parameters' values by name, in the space's order (unmodifiable) */
    Map<String, Object> parameters();

    /**
     * @param schedule the base model's noise schedule
     * @return an unlearner running this config
     */
    Unlearner unlearner(ScheduleConfig schedule);

    /**
     * Reads a candidate back from its method name, JSON and parameters (as stored in a results file).
     *
     * @throws IllegalArgumentException if the JSON is not a valid config of that method
     */
    static CandidateConfig fromJson(String method, String json, Map<String, Object> parameters) {
        if (ERASEDIFF.equals(method)) {
            return new EraseDiff(EraseDiffConfig.fromJson(json), parameters);
        }
        BaselineConfig c = BaselineConfig.fromJson(json);
        if (!c.method().name().equals(method)) {
            throw new IllegalArgumentException("method '" + method + "' does not match the config's '"
                    + c.method().name() + "'");
        }
        return new Baseline(c, parameters);
    }

    /**
     * An EraseDiff candidate.
     *
     * @param config     the config
     * @param parameters the swept values
     */
    record EraseDiff(EraseDiffConfig config, Map<String, Object> parameters) implements CandidateConfig {
        /** Copies the parameters. */
        public EraseDiff {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }

        @Override
        public String method() {
            return ERASEDIFF;
        }

        @Override
        public String configJson() {
            return config.toJson();
        }

        @Override
        public Unlearner unlearner(ScheduleConfig schedule) {
            return EraseDiffUnlearner.builder(config).optSchedule(schedule).build();
        }

        private Object writeReplace() {
            return new Serial(method(), configJson(), new LinkedHashMap<>(parameters));
        }
    }

    /**
     * A baseline candidate.
     *
     * @param config     the config
     * @param parameters the swept values
     */
    record Baseline(BaselineConfig config, Map<String, Object> parameters) implements CandidateConfig {
        /** Copies the parameters. */
        public Baseline {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }

        @Override
        public String method() {
            return config.method().name();
        }

        @Override
        public String configJson() {
            return config.toJson();
        }

        @Override
        public Unlearner unlearner(ScheduleConfig schedule) {
            return BaselineUnlearner.builder(config).optSchedule(schedule).build();
        }

        private Object writeReplace() {
            return new Serial(method(), configJson(), new LinkedHashMap<>(parameters));
        }
    }

    /** The serial form of a candidate: its method, config JSON and parameters. */
    record Serial(String method, String json, LinkedHashMap<String, Object> parameters) implements Serializable {
        private Object readResolve() {
            return fromJson(method, json, parameters);
        }
    }
}
