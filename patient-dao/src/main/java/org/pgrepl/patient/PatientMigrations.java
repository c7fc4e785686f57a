package org.pgrepl.patient;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The DAO's schema, migrated by Flyway from {@code classpath:db/migration}. Through a pgrepl
 * DataSource or URL the migrations run on the primary (a connection starts on the read-write
 * route) and reach the replicas by replication.
 */
public final class PatientMigrations {
    /** Where the migrations live on the class path. */
    public static final String LOCATION = "classpath:db/migration";

    private PatientMigrations() {
    }

    /** Migrates through a DataSource. */
    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations(LOCATION).load().migrate();
    }

    /** Migrates through a URL, e.g. {@code jdbc:pgrepl:...} (the flyway-pgrepl plugin handles it). */
    public static MigrateResult migrate(String url, String user, String password) {
        return Flyway.configure().dataSource(url, user, password).locations(LOCATION).load().migrate();
    }
}
