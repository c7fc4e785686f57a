package org.pgrepl.bench.failover;

import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The failover report: a short header (machine, versions, how each system is configured), one
 * Markdown table with a row per system and event, and the failed operations by SQLState. No
 * credentials: the URLs shown are the configured shapes, never the cluster's password.
 */
public final class FailoverReport {
    private final List<EventFigures> rows = new ArrayList<>();
    private final Map<FailoverSystem, String> errors = new LinkedHashMap<>();
    private final Map<FailoverSystem, String> states = new LinkedHashMap<>();
    private final double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    private String serverVersion = "?";

    /** Adds a system's finished run. */
    void add(FailoverSystem system, FailoverScenario.Result result) {
        rows.addAll(result.rows());
        states.put(system, result.errorStates());
        serverVersion = result.serverVersion();
    }

    /** Records that a system's run did not finish, with the reason. */
    void failed(FailoverSystem system, String reason) {
        errors.put(system, reason);
    }

    /** True when every system finished. */
    boolean complete() {
        return errors.isEmpty();
    }

    /** The report as Markdown. */
    public String markdown(String patroniVersion) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, """
                        ### Failover under Patroni: pgrepl vs pgjdbc multi-host, %s

                        - machine: %d cores; load average %.2f at start, %.2f at end; Java %s
                        - PostgreSQL %s, %s, etcd; 3 members, synchronous_mode on (off for BA), ttl 10 s, loop_wait 1 s; a fresh cluster per system
                        - load: 2 writer threads (one borrow per INSERT) + 1 reader thread (borrow, setReadOnly(true), `SELECT pg_is_in_recovery(), inet_server_port()`)
                        - switchover to the replica that served most of the system's reads in the 1 s before it; SIGKILL of the leader (that member) after
                        """,
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)),
                Runtime.getRuntime().availableProcessors(), loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.version"),
                serverVersion, patroniVersion));
        for (FailoverSystem s : FailoverSystem.values()) {
            if (!states.containsKey(s) && !errors.containsKey(s)) {
                continue; // not run: --systems left it out
            }
            sb.append("- ").append(s.name()).append(" ").append(s.label()).append(": ").append(s.configuration()).append('\n');
        }
        sb.append("""

                | system | event | Patroni election ms | write outage ms | election → first write ms | steady reads on a replica | steady reads by member | reads failed | writes failed | acknowledged commits | lost commits | 25006 (write on a standby) |
                |---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|
                """);
        for (EventFigures r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s %s | %s | %d | %d | %d | %.1f %% of %d | %s | %d | %d | %d | %d | %d |%n",
                    r.system().name(), r.system().label(), r.event(), r.electionMs(), r.outageMs(), r.afterElectionMs(),
                    r.replicaSharePct(), r.steadyReads(), r.readsByMember(), r.readsFailed(), r.writesFailed(), r.acknowledged(), r.lost(),
                    r.standbyWrites()));
        }
        errors.forEach((s, reason) -> sb.append(String.format(Locale.ROOT, "| %s %s | did not finish: %s | | | | | | | | | | |%n",
                s.name(), s.label(), reason.replace('|', '/').replace('\n', ' '))));
        sb.append('\n');
        states.forEach((s, st) -> sb.append("- ").append(s.name()).append(" failed operations by SQLState: ")
                .append(st).append('\n'));
        return sb.toString();
    }
}
