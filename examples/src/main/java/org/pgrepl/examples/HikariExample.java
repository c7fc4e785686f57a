package org.pgrepl.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** HikariCP: a read-write pool, a read-only pool, and one pool toggled per borrow. */
public final class HikariExample {
    private HikariExample() {
    }

    static HikariDataSource pool(String url, Properties credentials, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(credentials.getProperty("user"));
        config.setPassword(credentials.getProperty("password"));
        config.setReadOnly(readOnly);      // HikariCP calls setReadOnly on every connection it makes
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    /** Where each kind of borrow ran. */
    public static Map<String, Served> run(String pgreplUrl, Properties credentials) throws SQLException {
        Map<String, Served> served = new LinkedHashMap<>();
        try (HikariDataSource readWrite = pool(pgreplUrl, credentials, false);
             HikariDataSource readOnly = pool(pgreplUrl, credentials, true)) {
            try (Connection c = readWrite.getConnection()) {
                served.put("read-write pool", Served.by(c));
            }
            try (Connection c = readOnly.getConnection()) {
                served.put("read-only pool", Served.by(c));
            }
            // One pool, the flag set per borrow, as Spring's @Transactional(readOnly = true) does.
            try (Connection c = readWrite.getConnection()) {
                c.setReadOnly(true);
                served.put("toggled pool, read-only borrow", Served.by(c));
            }
            try (Connection c = readWrite.getConnection()) {
                served.put("toggled pool, next borrow", Served.by(c)); // HikariCP reset the flag on return
            }
        }
        return served;
    }
}
