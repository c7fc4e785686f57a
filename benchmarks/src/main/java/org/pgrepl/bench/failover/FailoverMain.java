package org.pgrepl.bench.failover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pgrepl.infra.PatroniCluster;

/**
 * The failover benchmark (issue #9): runs PatroniFailoverIT's scenario (a switchover to the replica
 * the reader was using, then a SIGKILL of the leader and its restart, under 2 writers and 1 reader)
 * on a fresh Patroni cluster for pgrepl (B), for pgjdbc's multi-host URL with a writer and a
 * reader pool (P), and for pgrepl with synchronous_mode off (BA), and prints one Markdown table:
 * write outage, time from Patroni's election to the first write, steady-state read share on
 * replicas and which members served the reads, failed reads, lost commits and writes refused by a
 * standby. Progress goes to stderr, the report to stdout.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.pgrepl.bench.failover.FailoverMain [--out FILE] [--systems B,P,BA]</pre>
 */
public final class FailoverMain {
    static final String USAGE = """
            usage: java -cp benchmarks/target/benchmarks.jar org.pgrepl.bench.failover.FailoverMain [options]
              --out FILE       also write the report to FILE
              --systems B,P,BA run only these systems (default: B,P,BA; BA is pgrepl with
                               synchronous_mode off)
              --help           this text
            Needs Debian packages patroni and etcd-server, and PostgreSQL; about 70 s per system.
            """;

    private FailoverMain() {
    }

    /**
     * Runs the benchmark; exits 2 on a bad option or when Patroni is not installed, 1 when a
     * system's run did not finish.
     */
    public static void main(String[] args) throws Exception {
        Path out = null;
        List<FailoverSystem> systems = List.of(FailoverSystem.values());
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    case "--out" -> out = Path.of(value(args, ++i, "--out"));
                    case "--systems" -> systems = systems(value(args, ++i, "--systems"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        String missing = PatroniCluster.missing();
        if (missing != null) {
            System.err.println("FailoverMain: " + missing + "; nothing measured");
            System.exit(2);
            return;
        }
        FailoverReport report = new FailoverReport();
        FailoverScenario scenario = new FailoverScenario(System.err);
        for (FailoverSystem s : systems) {
            try {
                report.add(s, scenario.run(s));
            } catch (Exception e) {
                // One system failing (a cluster that would not start, say) still reports the other.
                System.err.printf("%s: did not finish: %s%n", s.label(), e);
                report.failed(s, String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
            }
        }
        String md = report.markdown(patroniVersion());
        System.out.print(md);
        if (out != null) {
            Files.writeString(out, md);
        }
        System.exit(report.complete() ? 0 : 1);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static List<FailoverSystem> systems(String list) {
        List<FailoverSystem> systems = new ArrayList<>();
        for (String s : list.split(",")) {
            try {
                systems.add(FailoverSystem.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown system " + s + " (B, P or BA)");
            }
        }
        return systems;
    }

    /** "patroni 3.0.2", from the installed binary, for the report header. */
    private static String patroniVersion() {
        try {
            Process p = new ProcessBuilder("/usr/bin/patroni", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return v.isEmpty() ? "patroni" : v;
        } catch (IOException e) {
            return "patroni";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "patroni";
        }
    }
}
