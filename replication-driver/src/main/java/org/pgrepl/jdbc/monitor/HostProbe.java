package org.pgrepl.jdbc.monitor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One host's check: a single round trip on a connection the monitor keeps open. Uses only
 * functions any user may call; {@code pg_stat_wal_receiver} shows a non-privileged user only
 * whether a receiver runs, which is what "streaming" falls back to without {@code pg_monitor}.
 */
final class HostProbe {
    static final String QUERY = "SELECT r.rec,"
            + " CASE WHEN r.rec THEN NULL ELSE pg_current_wal_lsn()::text END,"
            + " pg_last_wal_replay_lsn()::text,"
            + " CASE WHEN NOT r.rec THEN NULL"
            + "      WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            + "      ELSE (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint END,"
            + " CASE WHEN r.rec THEN NULL ELSE substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END,"
            + " (SELECT w.pid IS NOT NULL AND coalesce(w.status, 'streaming') = 'streaming' FROM pg_stat_wal_receiver w)"
            + " FROM (SELECT pg_is_in_recovery() AS rec) r";

    private HostProbe() {
    }

    /** Raw observation; lag in bytes needs the primary's position, computed by the monitor. */
    record Observation(boolean inRecovery, long currentLsn, long replayLsn, long lagMillis, int timeline,
                       boolean streaming) {
    }

    static Observation probe(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            rs.next();
            boolean rec = rs.getBoolean(1);
            long current = rec ? Lsn.NONE : Lsn.parse(rs.getString(2));
            long replay = rec ? Lsn.parse(rs.getString(3)) : current;
            long lagMs = rs.getLong(4);
            if (rs.wasNull()) {
                lagMs = rec ? -1 : 0;
            }
            String tli = rs.getString(5);
            int timeline = tli == null ? 0 : Integer.parseInt(tli, 16);
            boolean streaming = rs.getBoolean(6);
            return new Observation(rec, current, replay, lagMs, timeline, rec && streaming);
        }
    }

    /** The cluster's system identifier, or 0 where this user may not read it. */
    static long systemIdentifier(Connection c) {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0;
        }
    }
}
