package org.pgrepl.jdbc.monitor;

/**
 * PostgreSQL WAL positions ({@code pg_lsn}, written {@code 16/B374D848}) as unsigned 64-bit
 * numbers, so that positions compare and subtract without a round trip.
 */
public final class Lsn {
    /** No position: what a server answers where it has none (e.g. receive LSN on a primary). */
    public static final long NONE = 0L;

    private Lsn() {
    }

    /**
     * Parses {@code hi/lo} (both hex, up to 8 digits each).
     *
     * @throws IllegalArgumentException naming the accepted form
     */
    public static long parse(String text) {
        if (text == null) {
            return NONE;
        }
        int slash = text.indexOf('/');
        if (slash < 1 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("not a WAL position (expected hex 'hi/lo', e.g. 0/16B3748)");
        }
        for (int i = 0; i < text.length(); i++) {
            if (i != slash && Character.digit(text.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("not a WAL position (expected hex 'hi/lo', e.g. 0/16B3748)");
            }
        }
        try {
            long hi = Long.parseLong(text, 0, slash, 16);
            long lo = Long.parseLong(text, slash + 1, text.length(), 16);
            return (hi << 32) | lo;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a WAL position (expected hex 'hi/lo', e.g. 0/16B3748)");
        }
    }

    /** Formats as PostgreSQL does: upper-case hex, no leading zeros. */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /** How many WAL bytes {@code behind} trails {@code ahead}; 0 when it does not. */
    public static long bytesBehind(long ahead, long behind) {
        return Long.compareUnsigned(ahead, behind) > 0 ? ahead - behind : 0L;
    }

    /** True when {@code a} is at or past {@code b}. */
    public static boolean reached(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0;
    }

    /** The later of two positions. */
    public static long max(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
