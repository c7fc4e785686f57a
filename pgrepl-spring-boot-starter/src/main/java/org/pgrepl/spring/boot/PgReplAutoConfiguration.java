package org.pgrepl.spring.boot;

import org.pgrepl.micrometer.PgReplMetricsBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for a {@code jdbc:pgrepl:} {@code spring.datasource.url}, on Spring Boot 4.0
 * and 3.5: the driver class, the {@code pgrepl} health indicator and the Micrometer binder.
 *
 * <p>Everything that differs between the two lines is referred to by class name (conditions,
 * ordering, the DataSourceProperties post-processor), so one jar serves both; the nested
 * configurations are only loaded when their classes are present.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@Conditional(OnPgReplUrlCondition.class)
@EnableConfigurationProperties(PgReplProperties.class)
public class PgReplAutoConfiguration {

    /** Static: a BeanPostProcessor must exist before the beans it processes. */
    @Bean
    static PgReplDriverClassPostProcessor pgreplDriverClassPostProcessor() {
        return new PgReplDriverClassPostProcessor();
    }

    /** Boot 4: {@code spring-boot-health}. The bean name gives the indicator its name, {@code pgrepl}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @Conditional(OnPgReplHealthEnabledCondition.class)
    static class Boot4Health {
        @Bean
        @ConditionalOnMissingBean(name = "pgreplHealthIndicator")
        PgReplHealthIndicator pgreplHealthIndicator() {
            return new PgReplHealthIndicator();
        }
    }

    /** Boot 3.5: {@code spring-boot-actuator}'s health API, which Boot 4 replaced. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
    @Conditional(OnPgReplHealthEnabledCondition.class)
    static class Boot3Health {
        @Bean
        @ConditionalOnMissingBean(name = "pgreplHealthIndicator")
        PgReplBoot3HealthIndicator pgreplHealthIndicator() {
            return new PgReplBoot3HealthIndicator();
        }
    }

    /**
     * Micrometer present: pgrepl's binder, which Boot's metrics auto-configuration binds to every
     * registry (so {@code /actuator/prometheus} shows {@code pgrepl_*} beside HikariCP's meters).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.binder.MeterBinder",
            "org.pgrepl.micrometer.PgReplMetricsBinder"})
    @ConditionalOnProperty(prefix = "pgrepl.metrics", name = "enabled", matchIfMissing = true)
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        PgReplMetricsBinder pgreplMetricsBinder() {
            return new PgReplMetricsBinder();
        }
    }
}
