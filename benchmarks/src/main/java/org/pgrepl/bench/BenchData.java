package org.pgrepl.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The benchmark's table and statements: {@value Target#TABLE}{@code (id int primary key, v bigint,
 * payload text)} with {@link #rows()} rows, created on the primary and awaited on every replica.
 */
public final class BenchData {
    /** The point read every workload uses. */
    public static final String READ = "SELECT v, payload FROM " + Target.TABLE + " WHERE id = ?";
    /** The update of the read-write transactions. */
    public static final String UPDATE = "UPDATE " + Target.TABLE + " SET v = v + 1 WHERE id = ?";
    /** The read-after-write workload's write: sets a known value. */
    public static final String SET = "UPDATE " + Target.TABLE + " SET v = ? WHERE id = ?";

    private static volatile int rows = 10_000;

    private BenchData() {
    }

    /** Rows in the table; ids run from 1 to this. */
    public static int rows() {
        return rows;
    }

    /** A random existing id (no allocation). */
    public static int randomId() {
        return ThreadLocalRandom.current().nextInt(1, rows + 1);
    }

    /** Creates (or recreates) the table with {@code count} rows and waits until every replica has it. */
    public static void create(Target t, int count) throws SQLException, InterruptedException {
        rows = count;
        try (Connection c = Systems.plain(t, t.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS pgrepl_bench");
            s.execute("DROP TABLE IF EXISTS " + Target.TABLE);
            s.execute("CREATE TABLE " + Target.TABLE + " (id int PRIMARY KEY, v bigint NOT NULL, payload text NOT NULL)");
            s.execute("INSERT INTO " + Target.TABLE + " SELECT g, 0, repeat(md5(g::text), 2) FROM generate_series(1, "
                    + count + ") g");
            s.execute("VACUUM ANALYZE " + Target.TABLE);
        }
        awaitReplicas(t);
    }

    /** Waits until every replica has replayed the primary's current WAL position (at most 60 s). */
    public static void awaitReplicas(Target t) throws SQLException, InterruptedException {
        String lsn;
        try (Connection c = Systems.plain(t, t.primary()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            lsn = rs.getString(1);
        }
        for (String r : t.replicas()) {
            try (Connection c = Systems.plain(t, r);
                 PreparedStatement ps = c.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
                ps.setString(1, lsn);
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (true) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            break;
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new SQLException("replica " + r + " did not replay " + lsn + " within 60 s");
                    }
                    Thread.sleep(20);
                }
            }
        }
    }
}
