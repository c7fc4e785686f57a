package org.pgrepl.bench.failover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.pgrepl.infra.FailoverWindow.Op;

/**
 * The load of PatroniFailoverIT: 2 writer threads inserting ids into {@code acked}, one borrow
 * per insert, and 1 reader thread asking {@code pg_is_in_recovery()} and {@code inet_server_port()}
 * on a read-only connection. Every finished operation is logged with its start and end (and, for
 * a read, the member that answered), so outages and read routing can be computed afterwards for any window.
 */
final class FailoverLoad {
    final ConcurrentLinkedQueue<Op> writes = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Op> reads = new ConcurrentLinkedQueue<>();
    /** Acknowledged id to the time of its acknowledgement: lost commits are attributed to an event by it. */
    final Map<Long, Long> acknowledged = new ConcurrentHashMap<>();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ids = new AtomicLong();
    private final Map<Integer, String> memberByPort;
    private List<Thread> threads = List.of();

    /** @param memberByPort PostgreSQL port to member name, to name the member that served a read */
    FailoverLoad(Map<Integer, String> memberByPort) {
        this.memberByPort = Map.copyOf(memberByPort);
    }

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
                long began = System.nanoTime();
                try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO acked VALUES (?)")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                    long now = System.nanoTime();
                    acknowledged.put(id, now);
                    writes.add(new Op(began, now, true, false, null, null));
                } catch (SQLException e) {
                    writes.add(new Op(began, System.nanoTime(), false, false, null, e.getSQLState()));
                    pause();
                }
            }
        }, name);
    }

    private Thread reader(DataSource pool) {
        return new Thread(() -> {
            while (running.get()) {
                long began = System.nanoTime();
                try (Connection c = pool.getConnection()) {
                    c.setReadOnly(true);
                    // The port names the member (all listen on 127.0.0.1): which server a pooled
                    // connection sits on is what decides where reads land after a promotion.
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), inet_server_port()")) {
                        rs.next();
                        boolean standby = rs.getBoolean(1);
                        String member = memberByPort.getOrDefault(rs.getInt(2), "port " + rs.getInt(2));
                        reads.add(new Op(began, System.nanoTime(), true, standby, member, null));
                    }
                } catch (SQLException e) {
                    reads.add(new Op(began, System.nanoTime(), false, false, null, e.getSQLState()));
                    pause();
                }
            }
        }, "reader");
    }

    /**
     * Successful reads in [from, to] answered by a standby, counted by member: the switchover
     * targets the replica this system's reader was using.
     */
    Map<String, Long> replicaReadsByMember(long from, long to) {
        Map<String, Long> counts = new TreeMap<>();
        for (Op o : reads) {
            if (o.ok() && o.onStandby() && o.endNanos() >= from && o.endNanos() <= to) {
                counts.merge(o.member(), 1L, Long::sum);
            }
        }
        return counts;
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
