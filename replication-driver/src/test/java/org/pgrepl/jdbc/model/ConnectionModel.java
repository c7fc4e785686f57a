package org.pgrepl.jdbc.model;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.pgrepl.infra.Server;

/**
 * The state of one try of the single-connection property: the logical connection under test,
 * what the application set and was told, the statements it holds, the faults in force, and the
 * oracle's ledger. Every JDBC call goes through {@link #call}, which enforces invariant 7;
 * {@link #afterStep} checks invariants 1, 2 and 5 against the servers after every action.
 */
final class ConnectionModel implements AutoCloseable {
    static final int CONNECT_TIMEOUT_S = 2;
    static final int SOCKET_TIMEOUT_S = 5;
    static final String MONITOR_INTERVAL = "250ms";
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static final Set<ConnectionModel> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Per-try choices: the read-your-writes timeout, and the role (the async role commits with synchronous_commit=off). */
    record Settings(int rywMillis, String user, boolean afterPromotion) {
        @Override
        public String toString() {
            return "readYourWritesTimeout=" + rywMillis + "ms user=" + user;
        }
    }

    final ModelCluster mc;
    final Oracle oracle;
    final Settings settings;
    final String tryId;
    final Trail trail;
    final Ledger ledger;
    final ExecutorService worker = Executors.newSingleThreadExecutor(daemon("pgrepl-model-app"));
    final ExecutorService helper = Executors.newCachedThreadPool(daemon("pgrepl-model-helper"));
    Connection conn;
    int connNo;
    int step;
    boolean readOnly;
    boolean autoCommit = true;
    Integer isolation;
    String schema;
    final List<Held> held = new ArrayList<>();
    final Set<Server> paused = new HashSet<>();
    /** A session failed in this step: at its end, check that no healthy host was excluded (invariant 6). */
    boolean checkHostsNext;
    /** A session was terminated: check invariant 6 after the connection's next statement (when it notices). */
    boolean hostsCheckArmed;
    boolean executedThisStep;
    /** The promotion property's failover happened (replay controls then leave the servers alone). */
    boolean failedOver;
    final StatementSteps statements = new StatementSteps(this);
    final ConnectionSteps connection = new ConnectionSteps(this);
    final FaultSteps faults = new FaultSteps(this);
    private final ServerChecks checks = new ServerChecks(this);

    /** One action's body. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs one action: the body, then the check of invariant 6 when a session failed in it or
     * before it, then invariants 1, 2, 4 and 5 against the servers.
     */
    ConnectionModel step(Body body) {
        step++;
        ModelStats.STEPS.incrementAndGet();
        executedThisStep = false;
        try {
            body.run();
            if (checkHostsNext || (hostsCheckArmed && executedThisStep)) {
                checkHostsNext = false;
                hostsCheckArmed = false;
                faults.otherConnectionsRead();
            }
        } catch (AssertionError | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the test harness failed in step " + step + ": " + e, e);
        }
        afterStep();
        return this;
    }

    ConnectionModel(ModelCluster mc, Settings settings) {
        this.mc = mc;
        this.oracle = mc.oracle;
        this.settings = settings;
        this.tryId = "t" + ProcessHandle.current().pid() + "x" + TRIES.incrementAndGet() + "x" + (System.nanoTime() % 100_000);
        this.trail = new Trail("try " + tryId + ", " + settings);
        this.ledger = new Ledger(trail);
        ModelStats.TRIES.incrementAndGet();
        LIVE.add(this);
        open();
        startCheck();
    }

    /** A statement the application created and keeps. */
    record Held(int no, HeldKind kind, Statement statement, String createdUnder) {
        @Override
        public String toString() {
            return "held#" + no + "(" + kind + ", created " + createdUnder + ")";
        }
    }

    String appName() {
        return appName(connNo);
    }

    String appName(int n) {
        return "pgrepl-model-" + tryId + "-c" + n;
    }

    String url(String consistency, String appName) {
        return mc.url("readConsistency=" + consistency + "&readYourWritesTimeout=" + settings.rywMillis() + "ms"
                + "&monitorInterval=" + MONITOR_INTERVAL + "&connectTimeout=" + CONNECT_TIMEOUT_S
                + "&socketTimeout=" + SOCKET_TIMEOUT_S + "&ApplicationName=" + appName);
    }

    Properties credentials() {
        Properties p = mc.cluster.credentials();
        p.setProperty("user", settings.user());
        return p;
    }

    /** A new logical connection (connect opens no server session), with the state JDBC starts with. */
    void open() {
        connNo++;
        Outcome<Connection> o = call("connect (" + appName() + ")", ordinaryBound(),
                () -> DriverManager.getConnection(url("session", appName()), credentials()));
        if (!o.ok()) {
            throw trail.violated(7, "connect failed: " + o.describe());
        }
        conn = o.value();
        readOnly = false;
        autoCommit = true;
        isolation = null;
        schema = null;
        held.clear();
    }

    /** The bound for a call with no timeout of its own: twice the read-your-writes, socket and connect timeouts, plus a second. */
    long ordinaryBound() {
        return 2L * (settings.rywMillis() + (SOCKET_TIMEOUT_S + CONNECT_TIMEOUT_S) * 1000L) + 1000;
    }

    /** The bound for a call limited to {@code seconds} by the caller: 2x + 1 s. */
    static long boundFor(int seconds) {
        return seconds * 2000L + 1000;
    }

    /**
     * Runs one JDBC call on the application thread and records it in the trail. Invariant 7: a
     * failure is an SQLException with a SQLState, and the call ends within {@code boundMillis}.
     */
    <T> Outcome<T> call(String what, long boundMillis, Outcome.Call<T> body) {
        long t0 = System.nanoTime();
        Future<T> f = worker.submit(body::run);
        T value = null;
        SQLException error = null;
        Throwable odd = null;
        boolean hung = false;
        try {
            value = f.get(boundMillis + 20_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                error = sql;
            } else {
                odd = e.getCause();
            }
        } catch (TimeoutException e) {
            hung = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Outcome<T> o = new Outcome<>(value, error, millis);
        trail.add(what + " -> " + (odd != null ? "threw " + odd : hung ? "HUNG" : o.describe()));
        if (odd != null) {
            throw trail.violated(7, what + " threw " + odd + " (not an SQLException)");
        }
        if (hung) {
            abortQuietly();
            throw trail.violated(7, what + " still running after " + millis + " ms (bound " + boundMillis + " ms)");
        }
        if (error != null && (error.getSQLState() == null || error.getSQLState().isBlank())) {
            throw trail.violated(7, what + " failed without a SQLState: " + error);
        }
        if (millis > boundMillis) {
            throw trail.violated(7, what + " took " + millis + " ms; the smallest timeout that applies allows "
                    + boundMillis + " ms (2x + 1 s)");
        }
        return o;
    }

    /** Invariants 1, 2 (rows), 4 and 5 (server sessions) after every step. */
    void afterStep() {
        checks.afterStep();
    }

    /** Invariant 5 after close or abort: no server session of {@code appName} on any server. */
    void checkNoSessions(String appName, String after) {
        checks.noSessions(appName, after);
    }

    Map<String, Integer> primaryRows() {
        return checks.primaryRows();
    }

    /** A call failed as a lost session does: the next step checks that no healthy host was excluded. */
    void sessionFailure(Outcome<?> o) {
        String st = o.sqlState();
        if (st != null && (st.startsWith("08") || st.startsWith("57P"))) {
            checkHostsNext = true;
        }
    }

    String state() {
        return (readOnly ? "read-only" : "read-write") + (autoCommit ? " autocommit" : " tx");
    }

    private void abortQuietly() {
        try {
            conn.abort(helper);
        } catch (SQLException | RuntimeException ignored) {
            // the trail already names the hang
        }
    }

    /**
     * Invariant 6 before the first action: host health is JVM-wide, so a replica excluded by an
     * earlier try's session failure shows here (and is reported as such).
     */
    private void startCheck() {
        trail.add("before the first action (hosts excluded now were excluded by an earlier try of this JVM):");
        try {
            faults.otherConnectionsRead();
        } catch (AssertionError e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the test harness failed before the first action: " + e, e);
        }
    }

    /** The end of a try that passed: the connection closes, and leaves no server session (invariant 5). */
    void finish() {
        if (!LIVE.contains(this)) {
            return; // already closed by a cleanup (a failed try of this property, or shrinking): nothing to end
        }
        step(() -> {
            faults.otherConnectionsRead();
            connection.closeAndReopen();
        });
        String app = appName();
        try {
            conn.close();
        } catch (SQLException e) {
            throw trail.violated(7, "close() failed: " + e);
        }
        checkNoSessions(app, "the final close()");
        List<String> counted = PgReplCounters.heldOrNegative(mc);
        ModelStats.CHECKS.incrementAndGet();
        if (!counted.isEmpty() && !Trail.skipped(5)) {
            throw trail.violated(5, "after the final close(), pgrepl still counts open connections: " + counted);
        }
    }

    /** Closes what a try that failed (or was cut short by shrinking) left open. */
    static void closeUnfinished() {
        List.copyOf(LIVE).forEach(ConnectionModel::close);
    }

    /** Undoes every fault in force and closes the connection (no checks: a failed try cleans up too). */
    @Override
    public void close() {
        if (!LIVE.remove(this)) {
            return;
        }
        paused.forEach(s -> {
            try {
                mc.cluster.resumeReplay(s);
            } catch (RuntimeException ignored) {
                // a stopped server has nothing to resume
            }
        });
        paused.clear();
        mc.cluster.replicas().forEach(s -> mc.cluster.relay(s).heal());
        try {
            if (conn != null) {
                conn.close();
            }
        } catch (SQLException | RuntimeException ignored) {
            // closing after a failure
        }
        worker.shutdownNow();
        helper.shutdownNow();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
