package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Static checks of infra/docker-compose.ha.yml: etcd, three Patroni members, a PgBouncer per member. */
@SuppressWarnings("unchecked")
class ComposeHaFileTest {
    private static final Path INFRA = Path.of("").toAbsolutePath();
    private static Map<String, Object> services;
    private static String text;

    @BeforeAll
    static void load() throws IOException {
        text = Files.readString(INFRA.resolve("docker-compose.ha.yml"));
        services = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(text)).get("services");
    }

    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    @Test
    void hasEtcdThreeMembersAndABouncerForEach() {
        assertThat(services.keySet()).containsExactlyInAnyOrder("etcd", "member1", "member2", "member3",
                "pgbouncer1", "pgbouncer2", "pgbouncer3");
        for (int i = 1; i <= 3; i++) {
            Map<String, Object> env = (Map<String, Object>) service("member" + i).get("environment");
            assertThat(env).containsEntry("PATRONI_NAME", "member" + i)
                    .containsEntry("PATRONI_ETCD3_HOSTS", "etcd:2379");
            assertThat(env.get("PATRONI_SUPERUSER_PASSWORD").toString()).startsWith("${POSTGRES_PASSWORD");
            assertThat((List<String>) service("member" + i).get("ports")).containsExactly("544" + i + ":5432");
            assertThat((List<String>) service("pgbouncer" + i).get("ports")).containsExactly("644" + i + ":6432");
            Map<String, Object> dependsOn = (Map<String, Object>) service("pgbouncer" + i).get("depends_on");
            assertThat((Map<String, Object>) dependsOn.get("member" + i)).containsEntry("condition", "service_healthy");
        }
        Map<String, Object> dependsOn = (Map<String, Object>) service("member1").get("depends_on");
        assertThat((Map<String, Object>) dependsOn.get("etcd")).containsEntry("condition", "service_healthy");
    }

    @Test
    void everyServiceHasAHealthcheckThatProvesTheRealServer() {
        for (String name : services.keySet()) {
            String test = String.join(" ", (List<String>) ((Map<String, Object>) service(name).get("healthcheck")).get("test"));
            assertThat(test).as(name).containsAnyOf("psql -h 127.0.0.1", "/health");
        }
        String member = String.join(" ", (List<String>) ((Map<String, Object>) service("member1").get("healthcheck")).get("test"));
        assertThat(member).contains("/health").contains("psql -h 127.0.0.1");
    }

    @Test
    void everyMountedFileExistsAndThePatroniFileIsTheLaunchers() throws IOException {
        for (String name : services.keySet()) {
            List<String> volumes = (List<String>) service(name).get("volumes");
            for (String v : volumes == null ? List.<String>of() : volumes) {
                String source = v.split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(INFRA.resolve(source)).as("mounted by %s", name).isRegularFile();
                }
            }
        }
        assertThat(INFRA.resolve("patroni/Dockerfile")).isRegularFile();
        assertThat(Files.readString(INFRA.resolve("patroni/Dockerfile"))).contains("FROM postgres:").contains("patroni")
                .contains("etcd-server").contains("pgbouncer");
        assertThat(INFRA.resolve("patroni/pgbouncer-entrypoint.sh")).isExecutable();
        assertThat(ServerConfig.resource(ServerConfig.PATRONI_YML))
                .isEqualTo(Files.readString(INFRA.resolve("patroni/patroni.yml")));
        String yml = Files.readString(INFRA.resolve("patroni/patroni.yml"));
        assertThat(yml).contains("wal_level: replica").contains("use_pg_rewind: true").contains("use_slots: true")
                .contains("hot_standby: \"on\"").contains("password_encryption: scram-sha-256")
                .contains("username: replicator").contains("synchronous_mode: true");
        assertThat(text).doesNotContain("change-me").doesNotContainPattern("(?i)password\\s*[:=]\\s*[A-Za-z0-9]");
    }
}
