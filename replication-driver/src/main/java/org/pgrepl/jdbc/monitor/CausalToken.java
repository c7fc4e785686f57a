package org.pgrepl.jdbc.monitor;

import java.sql.SQLException;

/**
 * A position in one cluster's history: {@code <system identifier>/<timeline>/<LSN>}, e.g.
 * {@code 7301234567890123456/1/0/16B3748}. A connection hands the token of its last commit to
 * another (another request, another service), which then reads from a replica only once that
 * replica has replayed the position. The system identifier ties the token to one cluster; the
 * timeline tells a position on the current history from one that a failover may have discarded.
 *
 * @param systemIdentifier {@code pg_control_system().system_identifier}
 * @param timeline         the primary's timeline when the position was taken
 * @param lsn              the WAL position
 */
public record CausalToken(long systemIdentifier, int timeline, long lsn) {
    /** SQLState of an unparsable token or one from another cluster. */
    public static final String INVALID = "22023";

    /**
     * Parses a token.
     *
     * @throws SQLException 22023 naming the expected form; the token itself is not echoed beyond
     *                      a short prefix, since callers may pass any string
     */
    public static CausalToken parse(String token) throws SQLException {
        if (token == null) {
            throw new SQLException("causal token is null", INVALID);
        }
        String[] parts = token.split("/", -1);
        if (parts.length != 4) {
            throw invalid(token);
        }
        try {
            long system = Long.parseUnsignedLong(parts[0]);
            int timeline = Integer.parseInt(parts[1]);
            if (timeline < 1) {
                throw invalid(token);
            }
            return new CausalToken(system, timeline, Lsn.parse(parts[2] + "/" + parts[3]));
        } catch (IllegalArgumentException e) {
            throw invalid(token);
        }
    }

    private static SQLException invalid(String token) {
        String shown = token.length() > 40 ? token.substring(0, 40) + "..." : token;
        shown = shown.replaceAll("\\p{Cntrl}", "?");
        return new SQLException("invalid causal token '" + shown
                + "': expected <system identifier>/<timeline>/<LSN>, e.g. 7301234567890123456/1/0/16B3748", INVALID);
    }

    /** The token's text form. */
    @Override
    public String toString() {
        return Long.toUnsignedString(systemIdentifier) + "/" + timeline + "/" + Lsn.format(lsn);
    }
}
