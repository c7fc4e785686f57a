package org.pgrepl.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a Patroni cluster looked like over time, for failover figures: a daemon thread asks, every
 * period, Patroni's REST API for the members' roles and each member's PostgreSQL whether it is a
 * standby (in recovery: what pgrepl's monitor counts as a replica when no lag bound is set; a
 * standby keeps answering reads while no primary exists), and keeps each answer with its
 * {@link System#nanoTime()}. Clients' operations can then be set against it: did a read fail while
 * Patroni had no leader, did a read go to the primary while a standby was there.
 */
public final class PatroniWatch implements AutoCloseable {
    /**
     * One round of answers.
     *
     * @param atNanos   when the round ended
     * @param leader    the member Patroni reports as running leader, or null
     * @param standbys  the members that answered the probe as a standby (in recovery)
     */
    public record Sample(long atNanos, String leader, Set<String> standbys) {
    }

    private static final String PROBE = "SELECT pg_is_in_recovery()";

    private final PatroniCluster cluster;
    private final long periodMs;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final Map<String, Connection> probes = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private PatroniWatch(PatroniCluster cluster, Duration period) {
        this.cluster = cluster;
        this.periodMs = period.toMillis();
        this.thread = new Thread(this::loop, "patroni-watch");
        thread.setDaemon(true);
    }

    /** Starts watching; {@link #close()} stops. */
    public static PatroniWatch start(PatroniCluster cluster, Duration period) {
        PatroniWatch w = new PatroniWatch(cluster, period);
        w.thread.start();
        return w;
    }

    /** A watch that only holds these samples (no thread, no cluster): for checking the figures' arithmetic. */
    static PatroniWatch replay(List<Sample> samples) {
        PatroniWatch w = new PatroniWatch(null, Duration.ofMillis(100));
        w.running = false;
        w.samples.addAll(samples);
        return w;
    }

    /** The samples so far, oldest first. */
    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    private void loop() {
        while (running) {
            long began = System.nanoTime();
            Map<String, String> roles = cluster.roles();
            String leader = roles.entrySet().stream().filter(e -> e.getValue().equals("leader"))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            Set<String> standbys = new TreeSet<>();
            for (PatroniCluster.Member m : cluster.members()) {
                if (standby(m)) {
                    standbys.add(m.name());
                }
            }
            samples.add(new Sample(System.nanoTime(), leader, Set.copyOf(standbys)));
            long slept = (System.nanoTime() - began) / 1_000_000;
            try {
                Thread.sleep(Math.max(10, periodMs - slept));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    // One kept session per member, reopened after a failure: a new session per probe would add
    // the login to every sample.
    private boolean standby(PatroniCluster.Member m) {
        try {
            Connection c = probes.get(m.name());
            if (c == null) {
                Properties props = cluster.credentials();
                props.setProperty("ApplicationName", "pgrepl-patroni-watch");
                props.setProperty("connectTimeout", "1");
                props.setProperty("socketTimeout", "2");
                c = DriverManager.getConnection("jdbc:postgresql://" + m.hostAndPort() + "/postgres", props);
                probes.put(m.name(), c);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(PROBE)) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            closeProbe(m.name());
            return false;
        }
    }

    private void closeProbe(String member) {
        Connection c = probes.remove(member);
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the session is gone either way
            }
        }
    }

    /**
     * The intervals [from, to] in which Patroni reported no running leader, each widened to the
     * neighbouring samples that had one (the watch cannot tell when within a period it changed).
     */
    public List<long[]> noLeader() {
        List<Sample> all = samples();
        List<long[]> out = new ArrayList<>();
        long lastWithLeader = Long.MIN_VALUE;
        Long gapFrom = null;
        for (Sample s : all) {
            if (s.leader() == null) {
                if (gapFrom == null) {
                    gapFrom = lastWithLeader == Long.MIN_VALUE ? s.atNanos() : lastWithLeader;
                }
            } else {
                if (gapFrom != null) {
                    out.add(new long[] {gapFrom, s.atNanos()});
                    gapFrom = null;
                }
                lastWithLeader = s.atNanos();
            }
        }
        if (gapFrom != null) {
            out.add(new long[] {gapFrom, Long.MAX_VALUE});
        }
        return out;
    }

    /** The times of the samples that found a standby after one that found none: a replica's return. */
    public List<Long> standbyReturns() {
        List<Long> out = new ArrayList<>();
        boolean before = true;
        for (Sample s : samples) {
            boolean now = !s.standbys().isEmpty();
            if (now && !before) {
                out.add(s.atNanos());
            }
            before = now;
        }
        return out;
    }

    /** Stops the thread and closes its sessions. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String member : List.copyOf(probes.keySet())) {
            closeProbe(member);
        }
    }
}
