package org.pgrepl.jdbc.model;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;
import org.pgrepl.infra.Server;
import org.postgresql.PGConnection;

/**
 * Issue 13, property 2: a small HikariCP pool ({@code readConsistency=process}) shared by 2-3
 * threads doing random borrow / read / write work, with session terminations and paused replay
 * among them. Checked: invariants 1, 2 and 3 (process: every read shows every commit that
 * returned before it began, on any thread), 5 after the pool closes, 7 for every call.
 */
@AddLifecycleHook(value = ModelRunSettings.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class PoolModelIT {
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static final long OP_BOUND_MS = 2L * (2000 + (ConnectionModel.SOCKET_TIMEOUT_S + ConnectionModel.CONNECT_TIMEOUT_S) * 1000L)
            + 1000 + 10_000; // plus HikariCP's connectionTimeout when every connection is borrowed

    @Property(tries = 8, edgeCases = EdgeCasesMode.NONE)
    void sharedPool(@ForAll boolean asyncRole,
                    @ForAll @Size(min = 2, max = 3) List<@Size(min = 6, max = 12) List<PoolOp>> programs) throws Exception {
        ModelCluster mc = ModelCluster.shared();
        String tryId = "p" + ProcessHandle.current().pid() + "x" + TRIES.incrementAndGet() + "x" + (System.nanoTime() % 100_000);
        String app = "pgrepl-model-" + tryId + "-pool";
        String user = asyncRole ? ModelCluster.ASYNC_ROLE : mc.cluster.user();
        Trail trail = new Trail("pool try " + tryId + ", user " + user + ", programs " + programs);
        PoolRecord record = new PoolRecord();
        ConcurrentLinkedQueue<AssertionError> violations = new ConcurrentLinkedQueue<>();
        List<Server> paused = java.util.Collections.synchronizedList(new ArrayList<>());
        ModelStats.TRIES.incrementAndGet();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(mc.url("readConsistency=process&readYourWritesTimeout=2s&monitorInterval="
                + ConnectionModel.MONITOR_INTERVAL + "&connectTimeout=" + ConnectionModel.CONNECT_TIMEOUT_S
                + "&socketTimeout=" + ConnectionModel.SOCKET_TIMEOUT_S + "&ApplicationName=" + app));
        config.setUsername(user);
        config.setPassword(mc.cluster.password());
        config.setMaximumPoolSize(3);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setPoolName("model-" + tryId);
        ExecutorService threads = Executors.newFixedThreadPool(programs.size(), ConnectionModel.daemon("pgrepl-model-pool"));
        HikariDataSource ds = new HikariDataSource(config);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < programs.size(); t++) {
                PoolWorker w = new PoolWorker(t + 1, tryId, app, ds, mc, trail, record, paused, OP_BOUND_MS);
                List<PoolOp> program = programs.get(t);
                done.add(threads.submit(() -> {
                    try {
                        w.run(program);
                    } catch (AssertionError e) {
                        violations.add(e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(programs.stream().mapToInt(List::size).sum() * (OP_BOUND_MS + 5_000), TimeUnit.MILLISECONDS);
            }
            if (!violations.isEmpty()) {
                throw violations.peek();
            }
            Map<String, Integer> primary = mc.oracle.rowsOnPrimary(tryId);
            record.checkRows(trail, primary);
            record.checkReads(trail, primary);
            ModelStats.CHECKS.addAndGet(record.reads.size() + record.commits.size() + record.txns.size());
            ds.close();
            trail.add("pool closed");
            List<Oracle.Session> left = mc.oracle.awaitNoSessions(app, 8_000);
            ModelStats.CHECKS.incrementAndGet();
            List<String> counted = PgReplCounters.heldOrNegative(mc);
            ModelStats.CHECKS.incrementAndGet();
            if (!left.isEmpty() && !Trail.skipped(5)) {
                throw trail.violated(5, "after the pool closed, sessions of " + app + " are still open: " + left
                        + "; pgrepl's own count of open connections: " + (counted.isEmpty() ? "none" : counted));
            }
            if (!counted.isEmpty() && !Trail.skipped(5)) {
                throw trail.violated(5, "after the pool closed, pgrepl still counts open connections: " + counted);
            }
        } finally {
            threads.shutdownNow();
            ds.close();
            paused.forEach(mc.cluster::resumeReplay);
        }
    }

    /** One thread's program: borrow, work, return; faults between borrows. */
    static final class PoolWorker {
        private final int no;
        private final String tryId;
        private final String app;
        private final HikariDataSource ds;
        private final ModelCluster mc;
        private final Trail trail;
        private final PoolRecord record;
        private final List<Server> paused;
        private final long bound;

        PoolWorker(int no, String tryId, String app, HikariDataSource ds, ModelCluster mc, Trail trail, PoolRecord record,
                   List<Server> paused, long bound) {
            this.no = no;
            this.tryId = tryId;
            this.app = app;
            this.ds = ds;
            this.mc = mc;
            this.trail = trail;
            this.record = record;
            this.paused = paused;
            this.bound = bound;
        }

        void run(List<PoolOp> program) throws SQLException {
            for (int i = 0; i < program.size(); i++) {
                PoolOp op = program.get(i);
                ModelStats.STEPS.incrementAndGet();
                String what = "T" + no + "." + (i + 1) + " " + op;
                if (op.fault()) {
                    fault(op, what);
                    continue;
                }
                List<Fact> facts = new ArrayList<>();
                for (int k = 0; k < (op == PoolOp.READ ? 0 : op == PoolOp.WRITE || op == PoolOp.WRITE_READ_ONLY
                        || op == PoolOp.UPDATABLE_INSERT ? 1 : 2); k++) {
                    facts.add(Fact.insert(tryId + "-T" + no + "s" + (i + 1) + "-" + k));
                }
                long t0 = System.nanoTime();
                Object value = null;
                SQLException error = null;
                try (Connection c = ds.getConnection()) {
                    value = work(c, op, facts);
                } catch (SQLException e) {
                    error = e;
                } catch (RuntimeException e) {
                    trail.add(what + " -> threw " + e);
                    throw trail.violated(7, what + " threw " + e + " (not an SQLException)");
                }
                long t1 = System.nanoTime();
                long millis = (t1 - t0) / 1_000_000;
                Outcome<Object> o = new Outcome<>(value, error, millis);
                trail.add(what + " " + facts + " -> " + o.describe());
                if (error != null && (error.getSQLState() == null || error.getSQLState().isBlank())) {
                    throw trail.violated(7, what + " failed without a SQLState: " + error);
                }
                if (millis > bound) {
                    throw trail.violated(7, what + " took " + millis + " ms (bound " + bound + " ms)");
                }
                account(op, what, facts, o, t0, t1);
            }
        }

        private void account(PoolOp op, String what, List<Fact> facts, Outcome<Object> o, long t0, long t1) {
            switch (op) {
                case READ -> {
                    if (o.ok()) {
                        @SuppressWarnings("unchecked")
                        Map<String, Integer> visible = (Map<String, Integer>) o.value();
                        record.reads.add(new PoolRecord.Read(t0, t1, visible, what));
                    }
                }
                case WRITE_READ_ONLY -> {
                    if (o.ok()) {
                        throw trail.violated(1, what + ": an insert on the read-only route reported success");
                    }
                    facts.forEach(f -> record.mustBeAbsent.add(new Object[] {f, 1, "written on the read-only route (" + what + ")"}));
                }
                case TXN_ROLLBACK -> record.txns.add(new PoolRecord.Txn(facts, Ledger.End.ROLLED_BACK, what + " rolled back"));
                default -> {
                    if (o.ok()) {
                        record.commits.add(new PoolRecord.Commit(t1, facts, what));
                    } else if (!"08007".equals(o.sqlState())) {
                        record.txns.add(new PoolRecord.Txn(facts, Ledger.End.ROLLED_BACK, what + " failed with " + o.sqlState()));
                    } else {
                        record.txns.add(new PoolRecord.Txn(facts, Ledger.End.OUTCOME_UNKNOWN, what + " failed with 08007"));
                    }
                }
            }
        }

        private Object work(Connection c, PoolOp op, List<Fact> facts) throws SQLException {
            switch (op) {
                case READ -> {
                    c.setReadOnly(true);
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT id, v FROM public.model_rows WHERE try_id = '" + tryId + "'")) {
                        return StatementSteps.rows(rs);
                    }
                }
                case WRITE, WRITE_READ_ONLY -> {
                    c.setReadOnly(op == PoolOp.WRITE_READ_ONLY);
                    try (Statement s = c.createStatement()) {
                        return s.executeUpdate(StatementSteps.insertSql(facts.get(0).id(), tryId));
                    }
                }
                case UPDATABLE_INSERT -> {
                    try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
                         ResultSet rs = s.executeQuery("SELECT id, try_id, v FROM public.model_rows WHERE id = ''")) {
                        rs.moveToInsertRow();
                        rs.updateString("id", facts.get(0).id());
                        rs.updateString("try_id", tryId);
                        rs.updateInt("v", 0);
                        rs.insertRow();
                        return "inserted";
                    }
                }
                case COPY -> {
                    String data = facts.stream().map(f -> f.id() + "\t" + tryId + "\t0\n").reduce("", String::concat);
                    try {
                        return c.unwrap(PGConnection.class).getCopyAPI()
                                .copyIn("COPY public.model_rows (id, try_id, v) FROM STDIN", new StringReader(data));
                    } catch (java.io.IOException e) {
                        throw new SQLException("COPY: " + e, "58030", e);
                    }
                }
                default -> {
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        for (Fact f : facts) {
                            s.executeUpdate(StatementSteps.insertSql(f.id(), tryId));
                        }
                        switch (op) {
                            case TXN_COMMIT -> c.commit();
                            case TXN_SQL_COMMIT -> s.execute("COMMIT");
                            case TXN_AUTOCOMMIT_ON -> c.setAutoCommit(true);
                            default -> c.rollback();
                        }
                    } catch (SQLException e) {
                        try {
                            c.rollback(); // what an application does on failure
                        } catch (SQLException ignored) {
                            // the connection may be gone
                        }
                        throw e;
                    }
                    return "ended";
                }
            }
        }

        private void fault(PoolOp op, String what) throws SQLException {
            ModelStats.FAULTS.incrementAndGet();
            switch (op) {
                case TERMINATE_PRIMARY -> trail.add(what + ": " + mc.oracle.terminate(mc.cluster.primary(), app) + " session(s)");
                case TERMINATE_REPLICAS -> {
                    int n = 0;
                    for (Server s : mc.cluster.replicas()) {
                        n += mc.oracle.terminate(s, app);
                    }
                    trail.add(what + ": " + n + " session(s)");
                }
                default -> {
                    Server r = mc.cluster.replicas().get(no % 2);
                    synchronized (paused) {
                        if (paused.remove(r)) {
                            mc.cluster.resumeReplay(r);
                            trail.add(what + ": resume replay on " + r.name());
                        } else {
                            mc.cluster.pauseReplay(r);
                            paused.add(r);
                            trail.add(what + ": pause replay on " + r.name());
                        }
                    }
                }
            }
        }
    }
}
