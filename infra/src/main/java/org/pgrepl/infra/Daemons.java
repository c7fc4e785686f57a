package org.pgrepl.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Starts the launchers' long-running helper processes (exporters, Prometheus) the same way: as
 * the server user, with the launcher's own directory as working directory (a checkout the server
 * user cannot enter must not matter), output to a log there, remembered for the cleanup after a
 * killed JVM; and waits for them with an error that names the process, the cause and its log tail.
 */
final class Daemons {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Daemons() {
    }

    /** Starts {@code command} as {@code user} in {@code dir}, output to {@code dir/<name>.log}. */
    static Process start(ServerUser user, Path dir, String name, List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(user.command(command)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log(dir, name).toFile()));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            ClusterDirectory.rememberProcess(dir, name, p);
            return p;
        } catch (IOException e) {
            throw new ClusterStartException(name + " did not start: cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    static Path log(Path dir, String name) {
        return dir.resolve(name + ".log");
    }

    /**
     * Waits until {@code ready} holds; fails when the process exits first or the time runs out,
     * naming the process, the cause and the last lines of its log.
     */
    static void awaitReady(Path dir, String name, Process p, BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!p.isAlive()) {
                throw failed(dir, name, "it exited with code " + p.exitValue());
            }
            if (System.nanoTime() > deadline) {
                throw failed(dir, name, "not ready within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed(dir, name, "interrupted while waiting");
            }
        }
    }

    static ClusterStartException failed(Path dir, String name, String cause) {
        String errors = errorLines(log(dir, name));
        return new ClusterStartException(name + " did not start: " + cause
                + (errors.isEmpty() ? "" : "; errors it logged:\n" + errors)
                + "\nlast lines of " + log(dir, name) + ":\n" + Commands.tail(log(dir, name), 15));
    }

    /** The first lines of a log that report an error (a process often logs its cause well before it exits). */
    static String errorLines(Path log) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            return Files.readAllLines(log).stream()
                    .filter(l -> l.contains("level=error") || l.contains("ERROR") || l.contains("FATAL") || l.contains("CRITICAL"))
                    .limit(5).collect(java.util.stream.Collectors.joining("\n"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** True when {@code url} answers 200. */
    static boolean answers(String url) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
