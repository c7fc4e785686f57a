package org.pgrepl.infra;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;

/**
 * What the compose tests share: skipping, visibly, without a Docker engine, and an {@code .env}
 * made from {@code .env.example} for the run when none exists (removed again afterwards).
 */
final class ComposeEnv implements AutoCloseable {
    private final Path env;
    private final boolean created;

    private ComposeEnv(Path env, boolean created) {
        this.env = env;
        this.created = created;
    }

    /** Skips the calling test, printing why, when no Docker engine is reachable. */
    static void assumeDocker(String why) {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        if (!docker) {
            System.out.println(why);
        }
        assumeTrue(docker, why);
    }

    static ComposeEnv prepare() throws IOException {
        Path infra = Path.of("").toAbsolutePath();
        Path env = infra.resolve(".env");
        boolean created = !Files.exists(env);
        if (created) {
            Files.copy(infra.resolve(".env.example"), env);
        }
        return new ComposeEnv(env, created);
    }

    /** The admin password the env file gives the servers. */
    String adminPassword() throws IOException {
        return Files.readAllLines(env).stream().filter(l -> l.startsWith("POSTGRES_PASSWORD=")).findFirst()
                .orElseThrow().substring("POSTGRES_PASSWORD=".length());
    }

    /** The Grafana admin password the env file gives (docker-compose.monitoring.yml). */
    String grafanaPassword() throws IOException {
        return Files.readAllLines(env).stream().filter(l -> l.startsWith("GRAFANA_ADMIN_PASSWORD=")).findFirst()
                .orElseThrow().substring("GRAFANA_ADMIN_PASSWORD=".length());
    }

    @Override
    public void close() throws IOException {
        if (created) {
            Files.deleteIfExists(env);
        }
    }
}
