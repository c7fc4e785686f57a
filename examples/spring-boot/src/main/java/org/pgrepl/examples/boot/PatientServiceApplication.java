package org.pgrepl.examples.boot;

import java.util.Map;
import org.pgrepl.infra.EmbeddedCluster;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small REST service on Spring Boot with pgrepl-spring-boot-starter: its only database setting is
 * {@code spring.datasource.url=jdbc:pgrepl://...} (and credentials). Read-only transactions run on
 * the replica, writes on the primary, and a visit written by one request is seen by the next
 * request's read on the replica ({@code readConsistency=process}).
 *
 * <p>Given no {@code spring.datasource.url} (argument, system property or environment), it starts
 * an embedded primary and replica for the demo and stops them when the service stops.
 */
@SpringBootApplication
public class PatientServiceApplication {
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(PatientServiceApplication.class);
        if (!datasourceUrlGiven(args)) {
            EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(1).start();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "embedded-cluster-stop"));
            application.setDefaultProperties(Map.of(
                    "spring.datasource.url", cluster.pgreplUrl() + "?readConsistency=process",
                    "spring.datasource.username", cluster.user(),
                    "spring.datasource.password", cluster.password()));
            System.out.println("Embedded cluster: primary " + cluster.primary().hostAndPort()
                    + ", replica " + cluster.replicas().get(0).hostAndPort());
        }
        application.run(args);
    }

    private static boolean datasourceUrlGiven(String[] args) {
        for (String arg : args) {
            if (arg.startsWith("--spring.datasource.url=")) {
                return true;
            }
        }
        return System.getProperty("spring.datasource.url") != null || System.getenv("SPRING_DATASOURCE_URL") != null;
    }
}
