package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Static checks of infra/docker-compose.yml: the pair as DESIGN.md describes it. */
@SuppressWarnings("unchecked")
class ComposeFileTest {
    private static final Path INFRA = Path.of("").toAbsolutePath();
    private static Map<String, Object> compose;
    private static String text;

    @BeforeAll
    static void load() throws IOException {
        text = Files.readString(INFRA.resolve("docker-compose.yml"));
        compose = new Yaml().load(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> map, String key) {
        return (List<String>) map.get(key);
    }

    @Test
    void hasThePrimaryAndTheReplicaOnTheReferencePorts() {
        assertThat(((Map<String, ?>) compose.get("services")).keySet()).containsExactlyInAnyOrder("db-main", "db-slave");
        assertThat(list(service("db-main"), "ports")).containsExactly("5432:5432");
        assertThat(list(service("db-slave"), "ports")).containsExactly("5433:5432");
        for (String s : List.of("db-main", "db-slave")) {
            assertThat((String) service(s).get("image")).startsWith("postgres:");
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) service(s).get("environment");
            assertThat(env).containsEntry("POSTGRES_USER", "admin").containsEntry("POSTGRES_DB", "db_patient_health_record");
            assertThat(env.keySet()).noneMatch(k -> k.contains("PASSWORD"));
        }
    }

    @Test
    void usesNamedVolumesForData() {
        assertThat(((Map<String, ?>) compose.get("volumes")).keySet()).containsExactlyInAnyOrder("db-main", "db-slave");
        assertThat(list(service("db-main"), "volumes")).contains("db-main:/var/lib/postgresql/data");
        assertThat(list(service("db-slave"), "volumes")).contains("db-slave:/var/lib/postgresql/data");
    }

    @Test
    void secretsComeFromAnEnvFileAndNeverFromTheComposeFile() throws IOException {
        String example = Files.readString(INFRA.resolve(".env.example"));
        assertThat(text).contains("path: .env").doesNotContain("change-me")
                .doesNotContainPattern("(?i)password\\s*[:=]\\s*[A-Za-z0-9]");
        assertThat(example).contains("POSTGRES_PASSWORD=").contains("REPLICATOR_PASSWORD=");
        assertThat(Files.readString(INFRA.resolve("../.gitignore"))).contains("infra/.env");
    }

    @Test
    void healthchecksProveTheRealServerIsUpInItsRole() {
        String main = String.join(" ", list((Map<String, Object>) service("db-main").get("healthcheck"), "test"));
        String slave = String.join(" ", list((Map<String, Object>) service("db-slave").get("healthcheck"), "test"));
        assertThat(main).contains("-h 127.0.0.1").contains("NOT pg_is_in_recovery()");
        assertThat(slave).contains("-h 127.0.0.1").contains("SELECT pg_is_in_recovery()").contains("grep -qx t");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReplicaWaitsForAHealthyPrimary() {
        Map<String, Object> dependsOn = (Map<String, Object>) service("db-slave").get("depends_on");
        assertThat((Map<String, Object>) dependsOn.get("db-main")).containsEntry("condition", "service_healthy");
    }

    @Test
    void everyMountedFileExists() {
        for (String s : List.of("db-main", "db-slave")) {
            for (String volume : list(service(s), "volumes")) {
                String source = volume.split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(INFRA.resolve(source)).as("mounted by %s", s).isRegularFile();
                }
            }
        }
        assertThat(INFRA.resolve("postgres/compose/replica-entrypoint.sh")).isExecutable();
        assertThat(INFRA.resolve("postgres/compose/30-role-passwords.sh")).isExecutable();
    }

    @Test
    void primaryCarriesTheReplicationSettingsAndScram() throws IOException {
        String conf = Files.readString(INFRA.resolve("postgres/conf/postgresql.conf"));
        assertThat(conf).containsPattern("(?m)^wal_level = replica").containsPattern("(?m)^max_wal_senders = 10")
                .containsPattern("(?m)^max_replication_slots = 10").containsPattern("(?m)^hot_standby = on")
                .containsPattern("(?m)^password_encryption = scram-sha-256")
                .containsPattern("(?m)^log_min_error_statement = panic");
        String hba = Files.readString(INFRA.resolve("postgres/hba/compose.pg_hba.conf"));
        assertThat(hba).containsPattern("(?m)^host\\s+replication\\s+replicator\\s+samenet\\s+scram-sha-256")
                .doesNotContainPattern("(?m)^[^#].*\\b(trust|md5|password)\\s*$");
        String entry = Files.readString(INFRA.resolve("postgres/compose/replica-entrypoint.sh"));
        assertThat(entry).contains("set -euo pipefail").contains("-R -X stream -S \"$REPLICATION_SLOT\" --checkpoint=fast")
                .contains("PG_VERSION").contains("pg_isready");
        assertThat(Files.readString(INFRA.resolve("postgres/compose/20-replication-slot.sql")))
                .contains("pg_create_physical_replication_slot('db_slave_slot'");
    }

    /** The launcher applies the very files compose mounts: the jar's copies are byte for byte the same. */
    @Test
    void theLauncherUsesTheSameFiles() throws IOException {
        for (String shared : List.of(ServerConfig.SHARED_CONF, ServerConfig.LOOPBACK_HBA)) {
            assertThat(ServerConfig.resource(shared)).isEqualTo(Files.readString(INFRA.resolve("postgres").resolve(shared)));
        }
        assertThat(text).contains("./postgres/" + ServerConfig.SHARED_CONF);
        try (Stream<Path> init = Files.list(INFRA.resolve("postgres/init"))) {
            List<String> files = init.map(p -> "init/" + p.getFileName()).sorted().toList();
            assertThat(ServerConfig.INIT_SQL).isEqualTo(files);
            for (String f : files) {
                assertThat(text).contains("./postgres/" + f + ":/docker-entrypoint-initdb.d/");
                assertThat(ServerConfig.resource(f)).isEqualTo(Files.readString(INFRA.resolve("postgres").resolve(f),
                        StandardCharsets.UTF_8));
            }
        }
    }
}
