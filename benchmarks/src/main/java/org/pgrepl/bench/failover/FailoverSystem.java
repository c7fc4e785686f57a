package org.pgrepl.bench.failover;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.pgrepl.infra.PatroniCluster;

/**
 * The systems the failover scenario compares, and how each builds its pools on a Patroni
 * cluster: B, pgrepl behind one pool; P, pgjdbc's own multi-host URL behind two pools, the usual
 * answer today when no router is used; BA, B again on a cluster with synchronous_mode off, to show
 * what asynchronous replication can lose on a SIGKILL failover.
 */
public enum FailoverSystem {
    /** pgrepl: one pool; the driver routes read-only connections to replicas and follows promotion. */
    B("pgrepl", true, "one HikariCP pool (max 6) on `jdbc:pgrepl://m1,m2,m3/db?" + FailoverSystem.PGREPL_PARAMS + "`"),
    /** pgjdbc multi-host: a writer pool that asks for the primary and a reader pool that prefers a standby. */
    P("pgjdbc multi-host", true, "two HikariCP pools (max 6 each) on `jdbc:postgresql://m1,m2,m3/db?targetServerType=primary|preferSecondary&"
            + FailoverSystem.PGJDBC_PARAMS + "`"),
    /**
     * pgrepl as B, but the cluster runs with synchronous_mode off: the driver is the same, so any
     * difference in lost commits is what asynchronous replication costs, not the client.
     */
    BA("pgrepl, async", false, "as B, on a cluster with synchronous_mode off");

    /** The parameters PatroniFailoverIT uses: a fast monitor, so the comparison shows pgrepl as tested. */
    static final String PGREPL_PARAMS = "monitorInterval=200ms&hostRecheck=500ms&connectTimeout=2&socketTimeout=10";
    /**
     * Same timeouts as B; hostRecheckSeconds=1 (default 10) so pgjdbc's cached host roles expire
     * about as fast as pgrepl's recheck, which is pgjdbc's best case here.
     */
    static final String PGJDBC_PARAMS = "connectTimeout=2&socketTimeout=10&hostRecheckSeconds=1";

    private final String label;
    private final boolean synchronousMode;
    private final String configuration;

    FailoverSystem(String label, boolean synchronousMode, String configuration) {
        this.label = label;
        this.synchronousMode = synchronousMode;
        this.configuration = configuration;
    }

    /** Short name for the table. */
    public String label() {
        return label;
    }

    /** Whether its cluster runs Patroni's synchronous_mode. */
    public boolean synchronousMode() {
        return synchronousMode;
    }

    /** How the system is configured, as Markdown for the report. */
    public String configuration() {
        return configuration;
    }

    /** The pools of one system: where writers borrow, where the reader borrows (maybe the same). */
    record Pools(DataSource writer, DataSource reader, List<HikariDataSource> all) implements AutoCloseable {
        @Override
        public void close() {
            all.forEach(HikariDataSource::close);
        }
    }

    /** Opens this system's pools on the cluster. */
    Pools open(PatroniCluster cluster) {
        Properties credentials = cluster.credentials();
        if (this == B || this == BA) {
            HikariDataSource pool = pool("pgrepl", cluster.pgreplUrl() + "?" + PGREPL_PARAMS, credentials);
            return new Pools(pool, pool, List.of(pool));
        }
        String hosts = cluster.members().stream().map(PatroniCluster.Member::hostAndPort).collect(Collectors.joining(","));
        String base = "jdbc:postgresql://" + hosts + "/db_patient_health_record?" + PGJDBC_PARAMS + "&targetServerType=";
        HikariDataSource writer = pool("pgjdbc-writer", base + "primary", credentials);
        try {
            HikariDataSource reader = pool("pgjdbc-reader", base + "preferSecondary", credentials);
            return new Pools(writer, reader, List.of(writer, reader));
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    private static HikariDataSource pool(String name, String url, Properties credentials) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(credentials.getProperty("user"));
        config.setPassword(credentials.getProperty("password"));
        config.setMaximumPoolSize(6);
        // As in PatroniFailoverIT: a borrower waits at most 10 s, longer than any election here.
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }
}
