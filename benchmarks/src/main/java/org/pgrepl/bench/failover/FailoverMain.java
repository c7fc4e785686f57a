package org.pgrepl.bench.failover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pgrepl.infra.PatroniCluster;

/**
 * The failover benchmark (issues #9, #14): runs PatroniFailoverIT's scenario (a switchover to the
 * replica the reader was using, then a SIGKILL of the leader and its restart, under 2 writers and
 * 1 reader) on a fresh Patroni cluster of 3 and of 2 members for pgrepl (B), for pgjdbc's
 * multi-host URL with a writer and a reader pool (P), and for pgrepl with synchronous_mode off
 * (BA), and prints one Markdown table over each event's whole window: Patroni's outage, write
 * outage, time from Patroni's election to the first write, share of reads on a standby while one
 * answered, time from a standby's return to the first read on one, failed reads inside and outside
 * Patroni's outage, lost commits and writes refused by a standby. Progress goes to stderr, the
 * report to stdout.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.pgrepl.bench.failover.FailoverMain [--out FILE] [--systems B,P,BA] [--members 3,2]</pre>
 */
public final class FailoverMain {
    static final String USAGE = """
            usage: java -cp benchmarks/target/benchmarks.jar org.pgrepl.bench.failover.FailoverMain [options]
              --out FILE       also write the report to FILE
              --systems B,P,BA run only these systems (default: B,P,BA; BA is pgrepl with
                               synchronous_mode off)
              --members 3,2    cluster sizes to run each system on (default: 3,2)
              --help           this text
            Needs Debian packages patroni and etcd-server, and PostgreSQL; about 60 s per system and size.
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
        List<Integer> sizes = List.of(3, 2);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    case "--out" -> out = Path.of(value(args, ++i, "--out"));
                    case "--systems" -> systems = systems(value(args, ++i, "--systems"));
                    case "--members" -> sizes = sizes(value(args, ++i, "--members"));
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
        for (int members : sizes) {
            for (FailoverSystem s : systems) {
                try {
                    report.add(s, members, scenario.run(s, members));
                } catch (Exception e) {
                    // One system failing (a cluster that would not start, say) still reports the others.
                    System.err.printf("%s, %d members: did not finish: %s%n", s.label(), members, e);
                    report.failed(s, members, String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
                }
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

    private static List<Integer> sizes(String list) {
        List<Integer> sizes = new ArrayList<>();
        for (String s : list.split(",")) {
            int n;
            try {
                n = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 2 || n > 5) {
                throw new IllegalArgumentException("--members takes sizes from 2 to 5, not " + s);
            }
            sizes.add(n);
        }
        return sizes;
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
