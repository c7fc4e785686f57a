package org.pgrepl.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * pgrepl's own view of a logical connection, reached with
 * {@code connection.unwrap(PgReplConnection.class)} (through HikariCP and Spring proxies too).
 */
public interface PgReplConnection extends Connection {
    /**
     * The position of this connection's last commit, as {@code <system identifier>/<timeline>/<LSN>},
     * or null when it has committed nothing. Hand it to another connection (another request,
     * another service), whose {@link #requireCausalToken} then makes its replica reads wait for it.
     */
    String causalToken() throws SQLException;

    /**
     * Makes the next replica reads of this connection wait until a replica has replayed the
     * token's position (at most {@code readYourWritesTimeout}; then {@code readFallback} applies).
     * A floor: it only rises, and stays until a higher token replaces it. A token from an older
     * timeline than the current primary's is served by the primary only.
     *
     * @throws SQLException 22023 when the token is unparsable or from another cluster
     */
    void requireCausalToken(String token) throws SQLException;

    /** {@code host:port} of the server now serving this connection's current route, or null before first use. */
    String currentHost();
}
