package org.pgrepl.bench;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Hand routing's replica side for a pool: each new pgjdbc connection goes to the next replica in
 * turn, so a pool of 8 over 2 replicas holds 4 on each, as pgrepl's round robin does. Reading
 * from one replica while pgrepl spreads over all of them would measure where the reads land on
 * this machine (three servers sharing two cores: one busy replica keeps its caches warm), not
 * the driver.
 */
final class ReplicasInTurn implements DataSource {
    private final Target target;
    private final AtomicInteger next = new AtomicInteger();
    private int loginTimeout;

    ReplicasInTurn(Target target) {
        this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        int n = target.replicas().size();
        return Systems.plain(target, target.replica(Math.floorMod(next.getAndIncrement(), n)));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the target's credentials are used");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // pgjdbc logs through java.util.logging
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
