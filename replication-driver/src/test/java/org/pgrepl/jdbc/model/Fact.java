package org.pgrepl.jdbc.model;

import java.util.Map;
import java.util.Objects;

/**
 * One effect of a write the oracle can check exactly: row {@code id} exists ({@code version}
 * 0, an insert), or row {@code id} holds {@code version} (an update sets {@code v} to its step
 * number, unique and rising within a try, so a later committed update only raises it).
 */
record Fact(String id, int version) {
    static Fact insert(String id) {
        return new Fact(id, 0);
    }

    /** The effect is on the server (or was overtaken by a later update). */
    boolean presentIn(Map<String, Integer> rows) {
        Integer v = rows.get(id);
        return v != null && v >= version;
    }

    /** The effect is not on the server. */
    boolean absentFrom(Map<String, Integer> rows) {
        return version == 0 ? !rows.containsKey(id) : !Objects.equals(rows.get(id), version);
    }

    @Override
    public String toString() {
        return version == 0 ? id : id + "@v" + version;
    }
}
