package org.pgrepl.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/**
 * W2: per-transaction toggling on one logical connection, autocommit off: a read-only transaction
 * with a point read, then a read-write transaction with an update (one operation = both). A holds
 * a replica and a primary connection and picks one per transaction; B, C and F call
 * {@code setReadOnly(true|false)} between the transactions. Statements are prepared per
 * transaction, as Spring's JdbcTemplate or jOOQ do.
 */
public final class ToggleWorkload implements Workload {
    @Override
    public String id() {
        return "W2";
    }

    @Override
    public String title() {
        return "read-only tx (point read) + read-write tx (update), one connection";
    }

    @Override
    public List<SystemId> systems() {
        return List.of(SystemId.A, SystemId.B, SystemId.C, SystemId.F);
    }

    @Override
    public Subject open(SystemId system, Target target) {
        return new Subject() {
            @Override
            public Worker worker(int index) throws Exception {
                if (system == SystemId.A) {
                    return new Toggler(Systems.plain(target, target.replica(index)),
                            Systems.plain(target, target.primary()), false);
                }
                Connection logical = Systems.routed(system, target, null);
                return new Toggler(logical, logical, true);
            }

            @Override
            public void close() {
            }
        };
    }

    private static final class Toggler implements Worker {
        private final Connection reader;
        private final Connection writer;
        private final boolean toggle;
        private long sink;

        Toggler(Connection reader, Connection writer, boolean toggle) throws Exception {
            this.reader = reader;
            this.writer = writer;
            this.toggle = toggle;
            reader.setAutoCommit(false);
            writer.setAutoCommit(false);
        }

        @Override
        public void op() throws Exception {
            if (toggle) {
                reader.setReadOnly(true);
            }
            try (PreparedStatement ps = reader.prepareStatement(BenchData.READ)) {
                ps.setInt(1, BenchData.randomId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sink += rs.getLong(1);
                }
            }
            reader.commit();
            if (toggle) {
                writer.setReadOnly(false);
            }
            try (PreparedStatement ps = writer.prepareStatement(BenchData.UPDATE)) {
                ps.setInt(1, BenchData.randomId());
                sink += ps.executeUpdate();
            }
            writer.commit();
        }

        @Override
        public void checkRouting(RoutingProbe probe) throws Exception {
            if (toggle) {
                reader.setReadOnly(true);
            }
            probe.expectReplica(reader, "a read-only transaction");
            reader.commit();
            if (toggle) {
                writer.setReadOnly(false);
            }
            probe.expectPrimary(writer, "a read-write transaction");
            writer.commit();
        }

        @Override
        public void close() throws Exception {
            reader.close();
            if (writer != reader) {
                writer.close();
            }
        }

        @Override
        public String toString() {
            return "Toggler[" + sink + "]";
        }
    }
}
