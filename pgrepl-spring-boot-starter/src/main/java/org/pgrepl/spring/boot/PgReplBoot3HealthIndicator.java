package org.pgrepl.spring.boot;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code pgrepl} health indicator for Spring Boot 3.5 ({@code spring-boot-actuator}'s
 * {@code org.springframework.boot.actuate.health}, which Boot 4 moved); see {@link PgReplHealth}.
 */
public class PgReplBoot3HealthIndicator implements HealthIndicator {
    @Override
    public Health health() {
        PgReplHealth health = PgReplHealth.current();
        Health.Builder builder = switch (health.state()) {
            case UP -> Health.up();
            case DOWN -> Health.down();
            case UNKNOWN -> Health.unknown();
        };
        return builder.withDetails(health.details()).build();
    }
}
