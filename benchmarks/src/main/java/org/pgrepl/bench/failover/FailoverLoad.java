package org.pgrepl.bench.failover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The load of PatroniFailoverIT: 2 writer threads inserting ids into {@code acked}, one borrow
 * per insert, and 1 reader thread asking {@code pg_is_in_recovery()} on a read-only connection.
 * Every finished operation is logged with its time, so outages and read routing can be computed
 * afterwards for any window.
 */
final class FailoverLoad {
    /** A finished write or read: when, and its outcome. */
    record Op(long atNanos, boolean ok, boolean onReplica, String sqlState) {
    }

    final ConcurrentLinkedQueue<Op> writes = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Op> reads = new ConcurrentLinkedQueue<>();
    /** Acknowledged id to the time of its acknowledgement: lost commits are attributed to an event by it. */
    final Map<Long, Long> acknowledged = new ConcurrentHashMap<>();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ids = new AtomicLong();
    private List<Thread> threads = List.of();

    /** Creates the table through the writer pool (so on the primary) and starts the threads. */
    void start(DataSource writerPool, DataSource readerPool) throws SQLException {
        try (Connection c = writerPool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acked (id bigint PRIMARY KEY)");
        }
        threads = List.of(writer(writerPool, "writer-1"), writer(writerPool, "writer-2"), reader(readerPool));
        threads.forEach(Thread::start);
    }

    /** Stops the threads and waits for them (a borrower may wait up to the pool's 10 s timeout). */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
    }

    private Thread writer(DataSource pool, String name) {
        return new Thread(() -> {
            while (running.get()) {
                long id = ids.incrementAndGet();
                try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO acked VALUES (?)")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                    long now = System.nanoTime();
                    acknowledged.put(id, now);
                    writes.add(new Op(now, true, false, null));
                } catch (SQLException e) {
                    writes.add(new Op(System.nanoTime(), false, false, e.getSQLState()));
                    pause();
                }
            }
        }, name);
    }

    private Thread reader(DataSource pool) {
        return new Thread(() -> {
            while (running.get()) {
                try (Connection c = pool.getConnection()) {
                    c.setReadOnly(true);
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                        rs.next();
                        reads.add(new Op(System.nanoTime(), true, rs.getBoolean(1), null));
                    }
                } catch (SQLException e) {
                    reads.add(new Op(System.nanoTime(), false, false, e.getSQLState()));
                    pause();
                }
            }
        }, "reader");
    }

    // A failing operation backs off briefly, as PatroniFailoverIT does, so an outage is not a busy loop.
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
