package org.pgrepl.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * W5: read-after-write. One operation writes a known value to the primary and then reads it back
 * from a replica, one thread on its own row.
 * <ul>
 * <li>A measures the replica's commit-to-visible time: after the commit returns it polls the
 *     replica until the value shows (aux {@code wait}; {@code round trip} is the first poll).</li>
 * <li>B uses {@code readConsistency=session}: the first read after the write waits inside the
 *     driver; a second read right after needs no wait. Aux {@code wait} is the first read's time
 *     minus the second's ("extra wait"); {@code round trip} is the second's. A stale read is an error.</li>
 * <li>C and F (the wrapper) have no read-your-writes: reported as not applicable.</li>
 * </ul>
 */
public final class ReadAfterWriteWorkload implements Workload {
    /** Index of the commit-to-visible (A) or extra-wait (B) sample in {@link Worker#aux()}. */
    public static final int AUX_WAIT = 0;
    /** Index of a plain read's round trip in {@link Worker#aux()}. */
    public static final int AUX_ROUND_TRIP = 1;
    private static final long POLL_LIMIT_NANOS = 10_000_000_000L;

    @Override
    public String id() {
        return "W5";
    }

    @Override
    public String title() {
        return "write, then read it back on a replica (B: readConsistency=session; A: polls)";
    }

    @Override
    public List<SystemId> systems() {
        return List.of(SystemId.A, SystemId.B, SystemId.C, SystemId.F);
    }

    @Override
    public String unavailable() {
        return sessionConsistencySupported() ? null
                : "n/a: feature not present (the driver has no readConsistency=session)";
    }

    @Override
    public String unavailable(SystemId system) {
        return system == SystemId.C || system == SystemId.F ? "n/a: the wrapper has no read-your-writes" : null;
    }

    @Override
    public List<String> auxNames() {
        return List.of("wait", "round trip");
    }

    /** True when pgrepl declares {@code readConsistency} with the choice {@code session}. */
    static boolean sessionConsistencySupported() {
        try {
            java.sql.Driver d = DriverManager.getDriver("jdbc:pgrepl://localhost/x");
            DriverPropertyInfo[] info = d.getPropertyInfo("jdbc:pgrepl://localhost/x", new Properties());
            return Arrays.stream(info).anyMatch(p -> p.name.equals("readConsistency")
                    && p.choices != null && Arrays.asList(p.choices).contains("session"));
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    @Override
    public Subject open(SystemId system, Target target) {
        return new Subject() {
            @Override
            public Worker worker(int index) throws Exception {
                int row = 1 + index;
                if (system == SystemId.A) {
                    return new Rw(Systems.plain(target, target.replica(index)),
                            Systems.plain(target, target.primary()), row, false);
                }
                Connection c = Systems.pgrepl(target, "readConsistency=session");
                return new Rw(c, c, row, true);
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Statements are prepared per use, as Spring's JdbcTemplate and jOOQ do: pgrepl checks the read
     * floor when a statement picks its route, so a replica statement held across the write would
     * not wait (see the README).
     */
    private static final class Rw implements Worker {
        private final Connection reader;
        private final Connection writer;
        private final boolean routing;
        private final int row;
        private final long[] aux = new long[2];
        private long value = System.nanoTime();

        Rw(Connection reader, Connection writer, int row, boolean routing) {
            this.reader = reader;
            this.writer = writer;
            this.row = row;
            this.routing = routing;
        }

        private long readValue() throws Exception {
            try (PreparedStatement read = reader.prepareStatement(BenchData.READ)) {
                read.setInt(1, row);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        @Override
        public void op() throws Exception {
            long expected = ++value;
            if (routing) {
                writer.setReadOnly(false);
            }
            try (PreparedStatement write = writer.prepareStatement(BenchData.SET)) {
                write.setLong(1, expected);
                write.setInt(2, row);
                write.executeUpdate();
            }
            if (routing) {
                reader.setReadOnly(true);
            }
            long t0 = System.nanoTime();
            long seen = readValue();
            long t1 = System.nanoTime();
            if (routing) {
                if (seen != expected) {
                    throw new IllegalStateException("stale read: the replica did not show this connection's write");
                }
                readValue();
                long t2 = System.nanoTime();
                aux[AUX_ROUND_TRIP] = t2 - t1;
                aux[AUX_WAIT] = Math.max(0, (t1 - t0) - (t2 - t1));
                return;
            }
            while (seen != expected) {
                if (System.nanoTime() - t0 > POLL_LIMIT_NANOS) {
                    throw new IllegalStateException("the replica did not show the write within 10 s");
                }
                seen = readValue();
            }
            aux[AUX_WAIT] = System.nanoTime() - t0;
            aux[AUX_ROUND_TRIP] = t1 - t0;
        }

        @Override
        public long[] aux() {
            return aux;
        }

        @Override
        public void checkRouting(RoutingProbe probe) throws Exception {
            if (routing) {
                writer.setReadOnly(false);
            }
            probe.expectPrimary(writer, "the write");
            if (routing) {
                reader.setReadOnly(true);
            }
            probe.expectReplica(reader, "the read after the write");
        }

        @Override
        public void close() throws Exception {
            reader.close();
            if (writer != reader) {
                writer.close();
            }
        }
    }
}
