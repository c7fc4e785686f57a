package org.pgrepl.flyway;

import java.sql.Connection;
import org.flywaydb.database.postgresql.PostgreSQLDatabaseType;

/**
 * Lets Flyway take a {@code jdbc:pgrepl:} URL ({@code Flyway.configure().dataSource(url, user,
 * password)}, the Flyway CLI and Maven plugin, Spring Boot's {@code spring.flyway.url}). Everything
 * but URL recognition and the driver class is PostgreSQL's: a pgrepl connection starts on the
 * read-write route, so migrations run on the primary.
 */
public class PgReplDatabaseType extends PostgreSQLDatabaseType {
    static final String PREFIX = "jdbc:pgrepl:";
    static final String DRIVER = "org.pgrepl.jdbc.Driver";

    @Override
    public String getName() {
        return "PostgreSQL (pgrepl)";
    }

    /** Ahead of the plain PostgreSQL type, which does not claim these URLs anyway. */
    @Override
    public int getPriority() {
        return 1;
    }

    @Override
    public boolean handlesJDBCUrl(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    /** The driver is loaded by name, so the driver module needs no Flyway and this one no driver at compile time. */
    @Override
    public String getDriverClass(String url, ClassLoader classLoader) {
        return DRIVER;
    }

    /**
     * Given a DataSource, Flyway recognises the database by its product name, "PostgreSQL", which
     * the plain PostgreSQL type handles: this type claims only URLs.
     */
    @Override
    public boolean handlesDatabaseProductNameAndVersion(String productName, String version, Connection connection) {
        return false;
    }
}
