package org.pgrepl.jdbc.failure;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run by {@link VirtualThreadsIT} in a JVM of JDK 21+: {@code THREADS} virtual threads each read
 * {@code READS} times through one HikariCP pool of pgrepl connections, and report how many reads
 * failed and with which SQLStates. Args: url user password threads reads.
 */
public final class VirtualThreadsMain {
    private VirtualThreadsMain() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setPassword(args[2]);
        config.setMaximumPoolSize(10);
        config.setReadOnly(true);
        config.setConnectionTimeout(30_000);
        int threads = Integer.parseInt(args[3]);
        int reads = Integer.parseInt(args[4]);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentHashMap<String, Integer> states = new ConcurrentHashMap<>();
        // Compiled for 17: the JDK 21+ factory is reached by reflection.
        ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            System.out.println("STARTED");
            java.util.List<Future<?>> all = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                all.add(virtual.submit(() -> {
                    for (int i = 0; i < reads; i++) {
                        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                            rs.next();
                            ok.incrementAndGet();
                        } catch (SQLException e) {
                            failed.incrementAndGet();
                            states.merge(String.valueOf(e.getSQLState()), 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            virtual.shutdown();
        }
        System.out.println("RESULT ok=" + ok.get() + " failed=" + failed.get() + " states=" + states);
    }
}
