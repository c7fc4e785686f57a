package org.pgrepl.jdbc.wrap;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.pgrepl.jdbc.wrap.DelegatingStatement.StatementCall;

/**
 * The pgjdbc statements behind one logical statement: one per route, made lazily from what was
 * recorded (creation arguments, settings, batch, parameters). The statement of the route left
 * behind is kept, so a connection toggling between routes does not prepare again each time, and
 * its ResultSets stay valid.
 */
final class Delegates {
    /** Replays parameters onto a statement made again (prepared statements only). */
    @FunctionalInterface
    interface ParameterReplay {
        void replay(Statement s) throws SQLException;
    }

    private static final int SETTINGS = 10;

    private final RouteSource source;
    private final StatementRecipe<?> factory;
    /** Route of the current pgjdbc statement. */
    RouteContext route;
    private RouteContext otherRoute;
    private Statement other;
    /**
     * Recorded settings by slot; null until the first (most statements have none). Made with a
     * compare-and-set: two threads setting a new statement's first two settings keep both.
     */
    private volatile StatementCall[] settings;
    private static final java.lang.invoke.VarHandle SETTINGS_ARRAY;

    static {
        try {
            SETTINGS_ARRAY = java.lang.invoke.MethodHandles.lookup().findVarHandle(Delegates.class, "settings",
                    StatementCall[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private List<StatementCall> batch;
    int queryTimeoutSeconds;
    volatile boolean closed;

    Delegates(RouteSource source, RouteContext route, StatementRecipe<?> factory) {
        this.source = source;
        this.route = route;
        this.factory = factory;
    }

    /** The route this execution runs on, as the logical connection's state says now. */
    RouteContext routeForExecution() throws SQLException {
        if (closed) {
            throw closedError();
        }
        return source.routeForExecution(queryTimeoutSeconds);
    }

    /** Makes (or takes back) the pgjdbc statement of {@code next} and brings it to the recorded state. */
    Statement switchTo(RouteContext next, Statement current, ParameterReplay parameters) throws SQLException {
        Statement s;
        if (next == otherRoute && other != null && !other.isClosed()) {
            s = other;
        } else {
            closeQuietly(other); // made on a connection that is no longer either route's
            s = factory.create(next.physical());
        }
        other = current;
        otherRoute = route;
        route = next;
        StatementCall[] recorded = settings;
        if (recorded != null) {
            for (StatementCall c : recorded) {
                if (c != null) {
                    c.apply(s);
                }
            }
        }
        s.clearBatch();
        if (batch != null) {
            for (StatementCall c : batch) {
                c.apply(s);
            }
        }
        if (parameters != null) {
            parameters.replay(s);
        }
        return s;
    }

    void recordSetting(int slot, StatementCall call) {
        StatementCall[] s = settings;
        if (s == null) {
            SETTINGS_ARRAY.compareAndSet(this, null, new StatementCall[SETTINGS]);
            s = settings;
        }
        s[slot] = call;
    }

    void recordBatch(StatementCall call) {
        if (batch == null) {
            batch = new ArrayList<>();
        }
        batch.add(call);
    }

    void batchDone() {
        batch = null;
    }

    /** Closes every pgjdbc statement of this logical statement. */
    void close(Statement current) throws SQLException {
        closed = true;
        closeQuietly(other);
        other = null;
        batch = null;
        current.close();
    }

    static SQLException closedError() {
        return new SQLException("This statement has been closed.", "55000");
    }

    private static void closeQuietly(Statement s) {
        if (s != null) {
            try {
                s.close();
            } catch (SQLException ignored) {
                // its connection is gone: so is the statement
            }
        }
    }
}
