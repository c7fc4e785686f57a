package org.pgrepl.jdbc.route;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * Session state set through the JDBC API on a logical connection, carried to whichever physical
 * connection serves the next statement. {@code version} rises with every change, so a physical
 * connection that is up to date costs one int compare to check. -1 / null: never set (the
 * server's default holds).
 */
final class SessionState {
    int version;
    boolean autoCommit = true;
    int isolation = -1;
    int holdability = -1;
    int networkTimeout = -1;
    Executor networkTimeoutExecutor;
    String schema;
    String catalog;
    Properties clientInfo;
    Map<String, Class<?>> typeMap;

    void changed() {
        version++;
    }
}
