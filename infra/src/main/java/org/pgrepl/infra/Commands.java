package org.pgrepl.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the PostgreSQL tools as child processes, with a deadline and captured output. */
final class Commands {
    private Commands() {
    }

    /** Output of a finished command. */
    record Result(int exitCode, String output) {
    }

    /**
     * Runs a command and waits for it. Output (stdout and stderr) goes to a temporary file so a
     * chatty tool can never block on a full pipe.
     */
    static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("pgrepl-cmd", ".log");
            // Run from the temporary directory, which every user may enter: the tools run as the
            // server user, who may not be allowed into the JVM's working directory (a private checkout).
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).directory(new java.io.File(System.getProperty("java.io.tmpdir")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new ClusterStartException(name(command) + " did not finish within " + timeout
                        + "; output:\n" + tail(Files.readString(out, StandardCharsets.UTF_8), 30));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ClusterStartException("cannot run " + name(command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterStartException("interrupted while running " + name(command), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover log in the temp dir is harmless
                }
            }
        }
    }

    /** Runs a command and fails with its output tail unless it exits 0. */
    static String check(List<String> command, Map<String, String> env, Duration timeout) {
        Result r = run(command, env, timeout);
        if (r.exitCode() != 0) {
            throw new ClusterStartException(name(command) + " failed with exit code " + r.exitCode()
                    + "; output:\n" + tail(r.output(), 30));
        }
        return r.output();
    }

    /** The last {@code lines} lines of a text. */
    static String tail(String text, int lines) {
        String[] all = text.split("\n", -1);
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length)).strip();
    }

    /** The last lines of a log file, or a note that it is missing. */
    static String tail(Path log, int lines) {
        try {
            return Files.exists(log) ? tail(Files.readString(log, StandardCharsets.UTF_8), lines) : "(no log at " + log + ")";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** The tool's file name, for messages (arguments may hold paths but never passwords). */
    private static String name(List<String> command) {
        for (String part : command) {
            if (part.contains("/bin/") && !part.endsWith("runuser") && !part.endsWith("setpriv")) {
                return Path.of(part).getFileName().toString();
            }
        }
        return command.get(0);
    }
}
