package org.pgrepl.bench.failover;

import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.pgrepl.infra.FailoverWindow;

/**
 * The failover report: a short header (machine, versions, how each system is configured), one
 * Markdown table with a row per system and event, and the failed operations by SQLState. No
 * credentials: the URLs shown are the configured shapes, never the cluster's password.
 */
public final class FailoverReport {
    private final List<EventFigures> rows = new ArrayList<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final Map<String, String> states = new LinkedHashMap<>();
    private final Set<FailoverSystem> systems = EnumSet.noneOf(FailoverSystem.class);
    private final Set<Integer> sizes = new TreeSet<>(Comparator.reverseOrder());
    private final double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    private String serverVersion = "?";

    /** Adds a system's finished run on a cluster of {@code members}. */
    void add(FailoverSystem system, int members, FailoverScenario.Result result) {
        rows.addAll(result.rows());
        states.put(key(system, members), result.errorStates());
        systems.add(system);
        sizes.add(members);
        serverVersion = result.serverVersion();
    }

    /** Records that a system's run did not finish, with the reason. */
    void failed(FailoverSystem system, int members, String reason) {
        errors.put(key(system, members), reason);
        systems.add(system);
        sizes.add(members);
    }

    /** True when every system finished. */
    boolean complete() {
        return errors.isEmpty();
    }

    private static String key(FailoverSystem system, int members) {
        return system.name() + " " + system.label() + ", " + members + " members";
    }

    /** The report as Markdown. */
    public String markdown(String patroniVersion) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, """
                        ### Failover under Patroni: pgrepl vs pgjdbc multi-host, %s

                        - machine: %d cores; load average %.2f at start, %.2f at end; Java %s
                        - PostgreSQL %s, %s, etcd; %s members, synchronous_mode on (off for BA), ttl 10 s, loop_wait 1 s; a fresh cluster per system and size
                        - load: 2 writer threads (one borrow per INSERT) + 1 reader thread (borrow, setReadOnly(true), `SELECT pg_is_in_recovery(), inet_server_port()`)
                        - switchover to the replica that served most of the system's reads in the 1 s before it; SIGKILL of the leader (that member) after, restarted 2 s after the election
                        - whole window: from 1 s before the event to the end of the rejoin (every member running again); Patroni's outage: no running leader in Patroni's REST API, or from the launcher's request to the election it reported; a standby "answered" when the 100 ms watch found a member in recovery
                        """,
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)),
                Runtime.getRuntime().availableProcessors(), loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.version"),
                serverVersion, patroniVersion, sizes.stream().map(String::valueOf).collect(Collectors.joining(" and "))));
        for (FailoverSystem s : systems) {
            sb.append("- ").append(s.name()).append(" ").append(s.label()).append(": ").append(s.configuration()).append('\n');
        }
        sb.append("""

                | system | members | event | Patroni election ms | rejoin done ms | Patroni outage ms | write outage ms | election → first write ms | reads on a standby while one answered | standby back → first read on one | failed reads in outage / outside | reads by member (whole window) | after the rejoin: reads on a standby | writes failed | acknowledged commits | lost commits | 25006 (write on a standby) |
                |---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|
                """);
        for (EventFigures r : rows) {
            FailoverWindow w = r.window();
            sb.append(String.format(Locale.ROOT,
                    "| %s %s | %d | %s | %d | %d | %d | %d | %d | %.1f %% of %d | %s | %d / %d | %s | %.1f %% of %d | %d | %d | %d | %d |%n",
                    r.system().name(), r.system().label(), r.members(), r.event(), r.electionMs(), r.rejoinMs(), w.outageMs(),
                    r.outageMs(), r.afterElectionMs(), w.standbySharePct(), w.readsWithStandby(), w.returnsText(),
                    w.failedInOutage(), w.failedOutside(), r.readsByMember(), r.tailSharePct(), r.tailReads(), r.writesFailed(),
                    r.acknowledged(), r.lost(), r.standbyWrites()));
        }
        errors.forEach((k, reason) -> sb.append(String.format(Locale.ROOT,
                "| %s | did not finish: %s | | | | | | | | | | | | | | | |%n", k, reason.replace('|', '/').replace('\n', ' '))));
        sb.append('\n');
        for (EventFigures r : rows) {
            if (!r.window().failedDetail().isEmpty()) {
                sb.append("- ").append(key(r.system(), r.members())).append(", ").append(r.event().split(" \\(")[0])
                        .append(": failed reads (ms from the window's start) ").append(r.window().failedDetail()).append('\n');
            }
        }
        states.forEach((k, st) -> sb.append("- ").append(k).append(": failed operations by SQLState: ")
                .append(st).append('\n'));
        return sb.toString();
    }
}
