package org.pgrepl.jdbc.model;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.pgrepl.jdbc.PgReplConnection;

/**
 * Calls on the connection itself: read-only and autocommit switches, the ends of a
 * transaction, savepoints, isolation, schema, {@code isValid}, causal tokens handed to another
 * connection, and {@code close}/{@code abort} (after which a fresh logical connection continues).
 */
final class ConnectionSteps {
    /** How the application ends a transaction. */
    enum EndBy { COMMIT, ROLLBACK, SQL_COMMIT, AUTOCOMMIT_ON }

    private final ConnectionModel m;
    private final Deque<Savepoint> savepoints = new ArrayDeque<>();
    /**
     * setSchema / setTransactionIsolation ran with autoCommit off: on pgjdbc their SET is part of
     * the transaction, so a rollback undoes it. The application's value is then unknown, and
     * only "the getter matches the serving server" is checked.
     */
    private boolean schemaInTxn;
    private boolean isolationInTxn;

    ConnectionSteps(ConnectionModel m) {
        this.m = m;
    }

    void setReadOnly(boolean ro) {
        Connection c = m.conn;
        Outcome<Object> o = m.call("setReadOnly(" + ro + ") [" + m.state() + "]", m.ordinaryBound(), () -> {
            c.setReadOnly(ro);
            return null;
        });
        if (o.ok()) {
            m.readOnly = ro;
        }
    }

    void setAutoCommit(boolean ac) {
        if (ac && !m.autoCommit) {
            end(EndBy.AUTOCOMMIT_ON);
            return;
        }
        Connection c = m.conn;
        Outcome<Object> o = m.call("setAutoCommit(" + ac + ") [" + m.state() + "]", m.ordinaryBound(), () -> {
            c.setAutoCommit(ac);
            return null;
        });
        if (o.ok()) {
            m.autoCommit = ac;
        }
    }

    /** Ends the transaction; the ledger checks all-or-none at once against the primary. */
    void end(EndBy how) {
        Connection c = m.conn;
        boolean wasAutoCommit = m.autoCommit;
        String what = switch (how) {
            case COMMIT -> "commit()";
            case ROLLBACK -> "rollback()";
            case SQL_COMMIT -> "execute(\"COMMIT\")";
            case AUTOCOMMIT_ON -> "setAutoCommit(true)";
        };
        Outcome<Object> o = m.call(what + " [" + m.state() + "]", m.ordinaryBound(), () -> {
            switch (how) {
                case COMMIT -> c.commit();
                case ROLLBACK -> c.rollback();
                case SQL_COMMIT -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("COMMIT");
                    }
                }
                case AUTOCOMMIT_ON -> c.setAutoCommit(true);
            }
            return null;
        });
        if (how == EndBy.AUTOCOMMIT_ON && o.ok()) {
            m.autoCommit = true;
        }
        if (wasAutoCommit) {
            return; // nothing to end
        }
        Ledger.End end = how == EndBy.ROLLBACK ? Ledger.End.ROLLED_BACK
                : o.ok() ? Ledger.End.COMMITTED : "08007".equals(o.sqlState()) ? Ledger.End.OUTCOME_UNKNOWN : Ledger.End.ROLLED_BACK;
        endTxn(what + (o.ok() ? " returned normally" : " failed with " + o.sqlState()), end);
        m.sessionFailure(o);
    }

    void endTxn(String how, Ledger.End end) {
        m.ledger.ended(how, end, m.primaryRows());
        savepoints.clear();
        if (end != Ledger.End.COMMITTED) {
            forgetTransactionalSettings();
        }
        schemaInTxn = false;
        isolationInTxn = false;
        ModelStats.CHECKS.incrementAndGet();
    }

    private void forgetTransactionalSettings() {
        if (schemaInTxn) {
            m.schema = null;
        }
        if (isolationInTxn) {
            m.isolation = null;
        }
    }

    void savepoint() {
        Connection c = m.conn;
        Outcome<Savepoint> o = m.call("setSavepoint() [" + m.state() + "]", m.ordinaryBound(), c::setSavepoint);
        m.ledger.statementRan(m.connNo, m.autoCommit, o.ok());
        if (o.ok()) {
            m.ledger.savepoint();
            savepoints.push(o.value());
        }
    }

    void rollbackToSavepoint() {
        if (savepoints.isEmpty() || !m.ledger.txnOpen()) {
            return;
        }
        Connection c = m.conn;
        Savepoint sp = savepoints.peek();
        Outcome<Object> o = m.call("rollback(savepoint) [" + m.state() + "]", m.ordinaryBound(), () -> {
            c.rollback(sp);
            return null;
        });
        if (o.ok()) {
            m.ledger.rolledBackToSavepoint();
            forgetTransactionalSettings();
        } else {
            m.ledger.statementRan(m.connNo, false, false);
            m.sessionFailure(o);
        }
    }

    void setIsolation(int level) {
        Connection c = m.conn;
        Outcome<Object> o = m.call("setTransactionIsolation(" + level + ") [" + m.state() + "]", m.ordinaryBound(), () -> {
            c.setTransactionIsolation(level);
            return null;
        });
        if (o.ok()) {
            m.isolation = level;
            isolationInTxn |= !m.autoCommit;
        }
    }

    void setSchema(String schema) {
        Connection c = m.conn;
        Outcome<Object> o = m.call("setSchema(" + schema + ") [" + m.state() + "]", m.ordinaryBound(), () -> {
            c.setSchema(schema);
            return null;
        });
        if (o.ok()) {
            m.schema = schema;
            schemaInTxn |= !m.autoCommit;
        }
        m.ledger.mayHaveBegun |= !m.autoCommit;
    }

    void isValid() {
        Connection c = m.conn;
        m.call("isValid(1) [" + m.state() + "]", ConnectionModel.boundFor(1), () -> c.isValid(1));
        m.ledger.mayHaveBegun |= !m.autoCommit;
    }

    /**
     * Takes this connection's causal token and hands it to a fresh connection (eventual
     * consistency, read-only): its read must show everything this connection committed.
     */
    void handOffToken() {
        Set<Fact> committed = m.ledger.committedBy(m.connNo);
        Connection c = m.conn;
        Outcome<String> token = m.call("causalToken() [" + m.state() + "]", m.ordinaryBound(),
                () -> c.unwrap(PgReplConnection.class).causalToken());
        m.ledger.mayHaveBegun |= !m.autoCommit;
        if (!token.ok()) {
            return;
        }
        if (token.value() == null && !committed.isEmpty()) {
            throw m.trail.violated(3, "causalToken() is null though this connection committed " + committed);
        }
        String app = m.appName() + "-token";
        Outcome<Map<String, Integer>> read = m.call("another connection: requireCausalToken(" + token.value()
                + "), read", m.ordinaryBound(), () -> {
                    try (Connection other = DriverManager.getConnection(m.url("eventual", app), m.credentials())) {
                        other.setReadOnly(true);
                        if (token.value() != null) {
                            other.unwrap(PgReplConnection.class).requireCausalToken(token.value());
                        }
                        try (Statement s = other.createStatement();
                             ResultSet rs = s.executeQuery(new StatementSteps(m).readSql())) {
                            return StatementSteps.rows(rs);
                        }
                    }
                });
        if (read.ok()) {
            m.ledger.checkCovers("a read with this connection's causal token", committed, read.value());
            ModelStats.CHECKS.incrementAndGet();
        }
        m.checkNoSessions(app, "closing the connection that required the token");
    }

    /**
     * Two threads read on the connection at once (legal JDBC; pgjdbc serializes them), after a
     * route switch when no transaction is open, so both may race to open the route: each gets
     * rows or an SQLException, and the per-step check then sees at most two server sessions.
     */
    void concurrentReads(boolean switchRoute) throws Exception {
        Connection c = m.conn;
        if (switchRoute && !m.ledger.txnOpen()) {
            setReadOnly(!m.readOnly);
        }
        String sql = new StatementSteps(m).readSql();
        Outcome.Call<String> read = () -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                return StatementSteps.rows(rs).size() + " rows";
            }
        };
        Future<String> other = m.helper.submit(read::run);
        Outcome<String> mine = m.call("read on this thread, while another thread reads [" + m.state() + "]",
                m.ordinaryBound(), read);
        String theirs;
        try {
            theirs = other.get(m.ordinaryBound(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof SQLException failure) || failure.getSQLState() == null) {
                throw m.trail.violated(7, "the other thread's read threw " + e.getCause());
            }
            theirs = failure.getSQLState() + " " + failure.getMessage();
        } catch (java.util.concurrent.TimeoutException e) {
            throw m.trail.violated(7, "the other thread's read did not end within " + m.ordinaryBound() + " ms");
        }
        m.trail.add("the other thread's read -> " + theirs);
        m.ledger.statementRan(m.connNo, m.autoCommit, mine.ok());
    }

    /** Closes the connection (pgjdbc rolls back an open transaction), checks nothing is left, and opens a fresh one. */
    void closeAndReopen() {
        afterGone(closeNow(), "close()");
    }

    /** Closes the connection; returns its application name, to check no session of it is left. */
    private String closeNow() {
        Connection c = m.conn;
        String app = m.appName();
        m.call("close() [" + m.state() + "]", m.ordinaryBound(), () -> {
            c.close();
            return null;
        });
        return app;
    }

    /**
     * Aborts the connection from another thread while the application thread runs a read
     * (after a route switch, so a physical connection may be opening): abort's race with an
     * opening route must leave no server session.
     */
    void abortDuringCall(boolean switchRoute, int delayMillis) throws InterruptedException {
        Connection c = m.conn;
        String app = m.appName();
        boolean canSwitch = switchRoute && !m.ledger.txnOpen();
        boolean ro = canSwitch ? !m.readOnly : m.readOnly;
        String sql = new StatementSteps(m).readSql();
        Future<?> abort = m.helper.submit(() -> {
            Thread.sleep(delayMillis);
            c.abort(m.helper);
            return null;
        });
        m.call("read racing abort() after " + delayMillis + " ms" + (canSwitch ? ", route switched first" : "")
                + " [" + m.state() + "]", m.ordinaryBound(), () -> {
                    if (canSwitch) {
                        c.setReadOnly(ro);
                    }
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                        return StatementSteps.rows(rs).size() + " rows";
                    }
                });
        try {
            abort.get(ConnectionModel.boundFor(ConnectionModel.SOCKET_TIMEOUT_S), TimeUnit.MILLISECONDS);
            m.trail.add("abort(executor) from another thread -> ok");
        } catch (java.util.concurrent.ExecutionException e) {
            m.trail.add("abort(executor) from another thread -> " + e.getCause());
            if (!(e.getCause() instanceof SQLException failure) || failure.getSQLState() == null) {
                throw m.trail.violated(7, "abort() threw " + e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw m.trail.violated(7, "abort() did not return");
        }
        afterGone(app, "abort()");
    }

    private void afterGone(String app, String how) {
        gone(app, how);
        m.open();
    }

    private void gone(String app, String how) {
        if (m.ledger.txnOpen()) {
            endTxn(how + " with the transaction open", Ledger.End.ROLLED_BACK);
        }
        m.checkNoSessions(app, how);
        schemaInTxn = false;
        isolationInTxn = false;
    }

    /**
     * A quiet spell: the connection closes, and with it (two intervals later) its cluster's
     * monitor; {@code during} runs while nothing of pgrepl watches (a promotion); then a new
     * connection writes at once. Its monitor starts on the stopped one's last roles (the
     * cold-start seed), so the write meets a seed that {@code during} made wrong.
     */
    void quietSpell(Runnable during) throws InterruptedException {
        gone(closeNow(), "close()");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (m.faults.monitorRunning() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        m.trail.add("quiet spell: " + (m.faults.monitorRunning() ? "a monitor of these hosts still runs" : "no monitor runs"));
        during.run();
        m.open();
        new StatementSteps(m).execute(StatementKind.INSERT, -1);
    }
}
