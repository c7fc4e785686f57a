package org.pgrepl.spring.boot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code pgrepl} health indicator for Spring Boot 4 ({@code spring-boot-health}); see
 * {@link PgReplHealth} for what it reports.
 */
public class PgReplHealthIndicator implements HealthIndicator {
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
