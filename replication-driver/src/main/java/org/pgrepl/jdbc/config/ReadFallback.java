package org.pgrepl.jdbc.config;

/** What a read does when no replica is usable ({@code readFallback}). */
public enum ReadFallback implements Spelled {
    /** The read runs on the primary, in read-only mode. */
    PRIMARY("primary"),
    /** The read fails with an SQLException. */
    FAIL("fail");

    private final String spelling;

    ReadFallback(String spelling) {
        this.spelling = spelling;
    }

    @Override
    public String spelling() {
        return spelling;
    }
}
