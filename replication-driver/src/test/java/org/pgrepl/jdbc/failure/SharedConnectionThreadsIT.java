package org.pgrepl.jdbc.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;

/**
 * Issue 14.6: {@code abort()} or {@code close()} racing a route being opened on another thread,
 * and threads sharing one connection (legal JDBC), leave no server session behind. Before,
 * sessions stayed open and the replica connection counters drifted.
 */
@ExtendWith(PgClusterExtension.class)
class SharedConnectionThreadsIT {
    private static EmbeddedCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void setUp(EmbeddedCluster c) {
        cluster = c;
        admin = new Admin(c);
    }

    private static Connection open(String app) throws SQLException {
        return DriverManager.getConnection(cluster.pgreplUrl() + "?ApplicationName=" + app, cluster.credentials());
    }

    private static void read(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        }
    }

    @Test
    void abortAndCloseRacingRouteOpeningLeaveNoSession() throws Exception {
        String app = Admin.appName("race");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 40; i++) {
                Connection c = open(app);
                CountDownLatch go = new CountDownLatch(1);
                boolean useAbort = i % 2 == 0;
                int pause = i % 5;
                Future<?> user = pool.submit(() -> {
                    go.await();
                    try {
                        c.setReadOnly(true);
                        read(c);
                        c.setReadOnly(false);
                        read(c);
                    } catch (SQLException expected) {
                        // closed under it: 08003 or a broken connection, both fine here
                        assertThat(expected.getSQLState()).isNotNull();
                    }
                    return null;
                });
                Future<?> closer = pool.submit(() -> {
                    go.await();
                    Thread.sleep(pause);
                    if (useAbort) {
                        c.abort(Runnable::run);
                    } else {
                        c.close();
                    }
                    return null;
                });
                go.countDown();
                user.get(30, TimeUnit.SECONDS);
                closer.get(30, TimeUnit.SECONDS);
                assertThat(c.isClosed()).isTrue();
            }
            assertThat(admin.sessionsLeft(app)).as("server sessions left after close/abort races").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void threadsSharingOneConnectionLeaveNoSession() throws Exception {
        String app = Admin.appName("shared");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Connection c = open(app)) {
            List<Future<Integer>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean reader = t % 2 == 0;
                work.add(pool.submit(() -> {
                    int done = 0;
                    for (int i = 0; i < 100; i++) {
                        try {
                            if (reader) {
                                c.setReadOnly(true);
                            }
                            read(c);
                            done++;
                        } catch (SQLException e) {
                            // another thread switched the route mid-way (25001 inside a transaction
                            // cannot happen with autocommit): every failure is a clear SQLException
                            assertThat(e.getSQLState()).isNotNull();
                        } finally {
                            if (reader) {
                                c.setReadOnly(false);
                            }
                        }
                    }
                    return done;
                }));
            }
            int done = 0;
            for (Future<Integer> f : work) {
                done += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(done).isEqualTo(400);
        } finally {
            pool.shutdownNow();
        }
        assertThat(admin.sessionsLeft(app)).isZero();
    }
}
