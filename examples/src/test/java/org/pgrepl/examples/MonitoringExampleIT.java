package org.pgrepl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.MonitoringStack;

/**
 * The monitoring example, as {@code -Pmonitoring} runs it, for a few seconds in its own JVM: it
 * prints the Prometheus URL and live figures (lag per replica, statements per target) that show
 * the load reaching both the primary and the replicas, and stops cleanly. Without Debian's
 * prometheus it prints the driver's own figures instead, and this test checks those.
 */
class MonitoringExampleIT {
    @Test
    void printsThePrometheusUrlAndLiveFiguresThenStops() throws Exception {
        Path log = Files.createTempFile("pgrepl-monitoring-example", ".log");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Dpgrepl.monitoringSeconds=12", "-cp", System.getProperty("java.class.path"),
                    MonitoringExample.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(180, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(done).as("the example stops by itself; output:\n" + out).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("application metrics: http://127.0.0.1:").contains("Stopped.");
            if (MonitoringStack.missing() == null) {
                assertThat(out).containsPattern("Prometheus: http://127\\.0\\.0\\.1:\\d+")
                        .containsPattern("lag per replica \\(server / pgrepl\\):\\s+127\\.0\\.0\\.1:\\d+ \\d+\\.\\d s / \\d+\\.\\d s")
                        .containsPattern("statements per second by target:\\s+primary \\d+\\.\\d\\s+replica \\d+\\.\\d");
            } else {
                System.out.println("MonitoringExampleIT: no Prometheus here (" + MonitoringStack.missing()
                        + "); checking the driver's figures the example prints instead");
                assertThat(out).containsPattern("\\[pgrepl\\] .*: primary \\d+, replica \\d+ statements");
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
