package org.pgrepl.bench.failover;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.pgrepl.infra.PatroniCluster;
import org.pgrepl.infra.PatroniWatch;

/**
 * The scenario of PatroniFailoverIT for one system on a fresh Patroni cluster of 3 or 2 members
 * (synchronous mode on, or off for BA): load for 2 s, switchover to the replica the reader was
 * using, healthy (the end of the rejoin), 3 s tail; then SIGKILL of the leader (that same
 * member), its restart 2 s later, healthy, 3 s tail. A {@link PatroniWatch} records what Patroni
 * and the members reported all along. Each system gets its own cluster so none inherits another's
 * history (rewound members, replication slots).
 */
final class FailoverScenario {
    /** The rows of one system, plus what the run saw that the table does not show. */
    record Result(List<EventFigures> rows, String serverVersion, String errorStates) {
    }

    private final PrintStream log;

    FailoverScenario(PrintStream log) {
        this.log = log;
    }

    Result run(FailoverSystem system, int members) throws Exception {
        log.printf("%s: starting a %d-member Patroni cluster (synchronous mode %s)%n", system.label(), members,
                system.synchronousMode() ? "on" : "off");
        try (PatroniCluster cluster = PatroniCluster.start(members, system.synchronousMode());
             PatroniWatch watch = PatroniWatch.start(cluster, Duration.ofMillis(100))) {
            FailoverLoad load = new FailoverLoad(cluster.members().stream()
                    .collect(Collectors.toMap(PatroniCluster.Member::port, PatroniCluster.Member::name)));
            List<EventFigures.Times> times = new ArrayList<>();
            long loadStart;
            long loadEnd;
            try (FailoverSystem.Pools pools = system.open(cluster)) {
                load.start(pools.writer(), pools.reader());
                loadStart = System.nanoTime();
                try {
                    script(system, cluster, load, times);
                } finally {
                    // Stopped before the pools close, also when the cluster misbehaves, so no thread outlives the run.
                    load.stop();
                }
                loadEnd = System.nanoTime();
            }
            // Count windows: the switchover row from the start of the load to the SIGKILL, the
            // failover row from the SIGKILL to the end, so every operation is counted once.
            times.set(0, times.get(0).withCount(loadStart, times.get(1).start()));
            times.set(1, times.get(1).withCount(times.get(1).start(), loadEnd + 1));

            Leader leader = finalLeader(cluster);
            List<EventFigures> rows = times.stream()
                    .map(t -> EventFigures.of(system, members, t, load, watch, leader.ids())).toList();
            // Which errors the clients saw, by SQLState, so a reader of the report can tell
            // connection failures (08xxx) from refused writes (25006) or pool timeouts (null).
            String states = new TreeMap<>(Stream.concat(load.writes.stream(), load.reads.stream())
                    .filter(o -> !o.ok()).collect(Collectors.groupingBy(o -> String.valueOf(o.sqlState()),
                            Collectors.counting()))).toString();
            log.printf("%s, %d members: done; %d acknowledged commits; failed operations by SQLState: %s%n",
                    system.label(), members, load.acknowledged.size(), states);
            rows.forEach(r -> log.printf("%s, %d members, %s: %s%n", system.label(), members, r.event(), r.window()));
            return new Result(rows, leader.serverVersion(), states);
        }
    }

    private void script(FailoverSystem system, PatroniCluster cluster, FailoverLoad load,
                        List<EventFigures.Times> times) throws Exception {
        Thread.sleep(2000);

        // Promote the member this system's reader sits on: the case where a pool that stays on
        // the server it first reached keeps reading from what has become the primary.
        long t0 = System.nanoTime();
        Map<String, Long> recent = load.replicaReadsByMember(t0 - 1_000_000_000L, t0);
        String leader = cluster.leader();
        String candidate = recent.entrySet().stream().filter(e -> !e.getKey().equals(leader))
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        String newLeader;
        String why;
        if (candidate != null) {
            long total = recent.values().stream().mapToLong(Long::longValue).sum();
            why = String.format(Locale.ROOT, "reader's replica: %d of %d replica reads in the last 1 s",
                    recent.get(candidate), total);
            log.printf("%s: switchover from %s to %s (%s)%n", system.label(), leader, candidate, why);
            newLeader = cluster.switchover(candidate);
        } else {
            // No replica read just before the event: nothing to target, so Patroni chooses, and the row says so.
            why = "no replica read in the last 1 s; Patroni's choice";
            log.printf("%s: switchover away from %s (%s)%n", system.label(), leader, why);
            newLeader = cluster.switchover();
        }
        long elected = System.nanoTime();
        cluster.awaitHealthy(Duration.ofSeconds(60));
        long rejoined = System.nanoTime();
        Thread.sleep(3000);
        times.add(new EventFigures.Times("switchover " + leader + " → " + newLeader + " (" + why + ")",
                t0, elected, rejoined, System.nanoTime(), 0, 0));

        log.printf("%s: SIGKILL of leader %s%n", system.label(), cluster.leader());
        long t1 = System.nanoTime();
        String killed = cluster.failover();
        long elected2 = System.nanoTime();
        // Which standby Patroni promoted matters to P: its reader pool stays connected to a promoted member.
        String promoted = cluster.leader();
        Thread.sleep(2000);
        cluster.startMember(cluster.member(killed));
        cluster.awaitHealthy(Duration.ofSeconds(90));
        long rejoined2 = System.nanoTime();
        Thread.sleep(3000);
        times.add(new EventFigures.Times("SIGKILL of leader " + killed + " (" + promoted + " elected), restart",
                t1, elected2, rejoined2, System.nanoTime(), 0, 0));
    }

    /** What the final leader holds. */
    private record Leader(Set<Long> ids, String serverVersion) {
    }

    /** The ids in {@code acked} on the final leader, read over plain pgjdbc straight to it. */
    private static Leader finalLeader(PatroniCluster cluster) throws SQLException {
        // The restarted member may still be catching up: wait for a settled leader first.
        cluster.awaitHealthy(Duration.ofSeconds(60));
        String leader = cluster.leader();
        Set<Long> present = new HashSet<>();
        String version;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + cluster.member(leader).hostAndPort()
                + "/db_patient_health_record", cluster.credentials());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                version = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT id FROM acked")) {
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
            }
        }
        return new Leader(present, version);
    }
}
