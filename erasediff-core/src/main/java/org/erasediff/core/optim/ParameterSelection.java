package org.erasediff.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which parameters (by name) an optimiser trains, as two lists of regular expressions.
 *
 * <p>A name is selected when it is matched by at least one {@code include} pattern (an empty
 * include list matches every name) and by no {@code exclude} pattern. A pattern matches a name
 * when it occurs anywhere in it ({@link java.util.regex.Matcher#find()}); anchor it with
 * {@code ^...$} for an exact match. Example: the paper's "-x" variant on Stable Diffusion trains
 * only cross-attention, {@code include = ["attn2"]}; its "-u" variant trains everything else,
 * {@code exclude = ["attn2"]}. Immutable; the default {@link #all()} selects everything.
 */
public final class ParameterSelection {

    private static final ParameterSelection ALL = new ParameterSelection(List.of(), List.of());

    private final List<String> include;
    private final List<String> exclude;
    private final List<Pattern> includePatterns;
    private final List<Pattern> excludePatterns;

    private ParameterSelection(List<String> include, List<String> exclude) {
        this.includePatterns = compile(include, "include");
        this.excludePatterns = compile(exclude, "exclude");
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
    }

    /** Selects every parameter. */
    public static ParameterSelection all() {
        return ALL;
    }

    /**
     * A selection from include and exclude patterns.
     *
     * @param include patterns of names to train ({@code null} or empty: all names)
     * @param exclude patterns of names not to train ({@code null} or empty: none)
     * @return the selection
     * @throws IllegalArgumentException if a pattern is {@code null} or not a valid regular expression
     */
    @JsonCreator
    public static ParameterSelection of(@JsonProperty("include") List<String> include,
                                        @JsonProperty("exclude") List<String> exclude) {
        return new ParameterSelection(include == null ? List.of() : include,
                exclude == null ? List.of() : exclude);
    }

    /** The include patterns, as given (empty: all names). */
    @JsonProperty("include")
    public List<String> include() {
        return include;
    }

    /** The exclude patterns, as given. */
    @JsonProperty("exclude")
    public List<String> exclude() {
        return exclude;
    }

    /**
     * Whether a parameter with this name is trained.
     *
     * @param name the parameter's name
     * @return {@code true} if selected
     */
    public boolean selects(String name) {
        Objects.requireNonNull(name, "name");
        boolean included = includePatterns.isEmpty()
                || includePatterns.stream().anyMatch(p -> p.matcher(name).find());
        return included && excludePatterns.stream().noneMatch(p -> p.matcher(name).find());
    }

    /**
     * The selected names, in the order given.
     *
     * @param names candidate parameter names; not modified
     * @return a new list of the selected names (possibly empty: callers that need at least one
     *         trainable parameter must check)
     */
    public List<String> select(Collection<String> names) {
        List<String> selected = new ArrayList<>();
        for (String name : names) {
            if (selects(name)) {
                selected.add(name);
            }
        }
        return selected;
    }

    private static List<Pattern> compile(List<String> regexes, String field) {
        List<Pattern> patterns = new ArrayList<>(regexes.size());
        for (int i = 0; i < regexes.size(); i++) {
            String regex = regexes.get(i);
            if (regex == null) {
                throw new IllegalArgumentException(field + "[" + i + "] must be a regular expression, was null");
            }
            try {
                patterns.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(field + "[" + i + "] must be a valid regular expression, was \""
                        + regex + "\": " + e.getDescription(), e);
            }
        }
        return List.copyOf(patterns);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSelection other
                && include.equals(other.include) && exclude.equals(other.exclude);
    }

    @Override
    public int hashCode() {
        return Objects.hash(include, exclude);
    }

    @Override
    public String toString() {
        return "ParameterSelection[include=" + include + ", exclude=" + exclude + "]";
    }
}
