package org.pgrepl.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * W4: the Spring/HikariCP pattern. Eight threads share HikariCP pools of 8; each operation is one
 * Spring transaction (one borrow), read-only with a point read 80% of the time, else read-write
 * with an update. A: two pools (the primary; the replicas, its connections opened to each in
 * turn) and a transaction manager each, picked by hand.
 * B, C, F: one pool of the routing driver, marked read-only by Spring. D: Spring's
 * {@link LazyConnectionDataSourceProxy} with a {@code readOnlyDataSource}, over the two pools of A.
 * E: B with pgrepl-micrometer's binder registered and its registry scraped every second.
 */
public final class PooledWorkload implements Workload {
    /** Pool size and thread count. */
    public static final int THREADS = 8;
    /** Share of read-only borrows, in percent. */
    public static final int READ_PERCENT = 80;

    @Override
    public String id() {
        return "W4";
    }

    @Override
    public String title() {
        return "Spring tx over HikariCP (8 threads, pool 8), 80% read-only borrows";
    }

    @Override
    public int threads() {
        return THREADS;
    }

    @Override
    public List<SystemId> systems() {
        return List.of(SystemId.A, SystemId.B, SystemId.C, SystemId.D, SystemId.E, SystemId.F);
    }

    @Override
    public Subject open(SystemId system, Target t) {
        List<HikariDataSource> pools = new ArrayList<>();
        MeteredPgrepl[] metricsHolder = new MeteredPgrepl[1];
        try {
            Routes routes = switch (system) {
                case A -> new Routes(add(pools, Systems.replicasPool("A-replicas", t, THREADS)),
                        add(pools, plainPool("A-primary", t, t.primary())));
                case B -> Routes.one(add(pools, Systems.pool("B", t.pgreplUrl(null), Systems.PGREPL_DRIVER, t, THREADS)));
                case E -> {
                    Routes r = Routes.one(add(pools, Systems.pool("E", t.pgreplUrl(null), Systems.PGREPL_DRIVER, t, THREADS)));
                    metricsHolder[0] = MeteredPgrepl.start();
                    yield r;
                }
                case C -> Routes.one(add(pools, Systems.pool("C", t.awsUrl(), Systems.AWS_DRIVER, t, THREADS)));
                case F -> Routes.one(add(pools, Systems.pool("F", t.awsSrwUrl(), Systems.AWS_DRIVER, t, THREADS)));
                case D -> {
                    DataSource primary = add(pools, plainPool("D-primary", t, t.primary()));
                    DataSource replica = add(pools, Systems.replicasPool("D-replicas", t, THREADS));
                    LazyConnectionDataSourceProxy lazy = new LazyConnectionDataSourceProxy(primary);
                    lazy.setReadOnlyDataSource(replica);
                    yield Routes.one(lazy);
                }
            };
            return new Subject() {
                @Override
                public Worker worker(int index) {
                    return new Borrower(routes);
                }

                @Override
                public void active(boolean on) {
                    if (metricsHolder[0] != null) {
                        metricsHolder[0].active(on);
                    }
                }

                @Override
                public void close() {
                    pools.forEach(HikariDataSource::close);
                    MeteredPgrepl.closeQuietly(metricsHolder[0]);
                }
            };
        } catch (RuntimeException e) {
            pools.forEach(HikariDataSource::close);
            MeteredPgrepl.closeQuietly(metricsHolder[0]);
            throw e;
        }
    }

    private static HikariDataSource plainPool(String name, Target t, String hostPort) {
        return Systems.pool(name, t.pgjdbcUrl(hostPort), Systems.PGJDBC_DRIVER, t, THREADS);
    }

    private static DataSource add(List<HikariDataSource> pools, HikariDataSource pool) {
        pools.add(pool);
        return pool;
    }

    /** The read-only and read-write transaction templates and their JdbcTemplates. */
    private static final class Routes {
        final TransactionTemplate readTx;
        final TransactionTemplate writeTx;
        final JdbcTemplate readJdbc;
        final JdbcTemplate writeJdbc;

        Routes(DataSource reads, DataSource writes) {
            readTx = new TransactionTemplate(new DataSourceTransactionManager(reads));
            readTx.setReadOnly(true);
            writeTx = new TransactionTemplate(new DataSourceTransactionManager(writes));
            readJdbc = new JdbcTemplate(reads);
            writeJdbc = new JdbcTemplate(writes);
        }

        static Routes one(DataSource ds) {
            return new Routes(ds, ds);
        }
    }

    private static final class Borrower implements Worker {
        private final Routes routes;

        Borrower(Routes routes) {
            this.routes = routes;
        }

        @Override
        public void op() {
            int id = BenchData.randomId();
            if (ThreadLocalRandom.current().nextInt(100) < READ_PERCENT) {
                routes.readTx.executeWithoutResult(s -> routes.readJdbc.queryForObject(BenchData.READ,
                        (rs, n) -> rs.getLong(1), id));
            } else {
                routes.writeTx.executeWithoutResult(s -> routes.writeJdbc.update(BenchData.UPDATE, id));
            }
        }

        @Override
        public void checkRouting(RoutingProbe probe) {
            routes.readTx.executeWithoutResult(s -> routes.readJdbc.execute((ConnectionCallback<Void>) c -> {
                probe.expectReplica(c, "a read-only Spring transaction");
                return null;
            }));
            routes.writeTx.executeWithoutResult(s -> routes.writeJdbc.execute((ConnectionCallback<Void>) c -> {
                probe.expectPrimary(c, "a read-write Spring transaction");
                return null;
            }));
        }
    }
}
