package org.erasediff.core.unlearn;

/**
 * Jackson's value filter that leaves a number of exactly 1 out of a config's JSON (a remain-posterior
 * temperature of 1, a remain weight of 1: the defaults, so files written before the field existed
 * read the same).
 */
final class UnitValue {
    @Override
    public boolean equals(Object value) {
        return value instanceof Double d && d == 1.0;
    }

    @Override
    public int hashCode() {
        return 1;
    }
}
