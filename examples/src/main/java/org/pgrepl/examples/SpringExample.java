package org.pgrepl.examples;

import com.zaxxer.hikari.HikariDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring: {@code DataSourceTransactionManager} over one HikariCP pool on a pgrepl URL. A read-only
 * transaction ({@code @Transactional(readOnly = true)}, or a read-only TransactionTemplate as here)
 * makes Spring call {@code setReadOnly(true)}, which routes it to a replica.
 */
public final class SpringExample {
    private SpringExample() {
    }

    /** Where a read-write and a read-only transaction ran. */
    public static Map<String, Served> run(String pgreplUrl, Properties credentials) {
        Map<String, Served> served = new LinkedHashMap<>();
        try (HikariDataSource pool = HikariExample.pool(pgreplUrl, credentials, false)) {
            DataSourceTransactionManager txManager = new DataSourceTransactionManager(pool);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            TransactionTemplate readWrite = new TransactionTemplate(txManager);
            TransactionTemplate readOnly = new TransactionTemplate(txManager);
            readOnly.setReadOnly(true);

            served.put("@Transactional", readWrite.execute(status -> {
                jdbc.execute("CREATE TABLE IF NOT EXISTS example_spring (id serial PRIMARY KEY)");
                jdbc.update("INSERT INTO example_spring DEFAULT VALUES");
                return where(jdbc);
            }));
            served.put("@Transactional(readOnly = true)", readOnly.execute(status -> where(jdbc)));
        }
        return served;
    }

    private static Served where(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT pg_is_in_recovery(), inet_server_port()",
                (rs, n) -> new Served(rs.getBoolean(1) ? "replica" : "primary", rs.getInt(2)));
    }
}
