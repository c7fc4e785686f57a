package org.pgrepl.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;

/**
 * The auto-configuration's conditions, without a server (the pool is created, never started), on
 * whichever Boot line this module compiles against: Boot's DataSource auto-configuration is found
 * by its 4.x or its 3.x class name.
 */
class PgReplAutoConfigurationTest {
    private static final String PGREPL_URL = "jdbc:pgrepl://db-main:5432,db-slave:5433/db_patient_health_record";

    private final ApplicationContextRunner withStarter = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PgReplAutoConfiguration.class, dataSourceAutoConfiguration()));

    private static Class<?> dataSourceAutoConfiguration() {
        for (String name : new String[] {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"}) {
            if (ClassUtils.isPresent(name, null)) {
                return ClassUtils.resolveClassName(name, null);
            }
        }
        throw new IllegalStateException("no DataSourceAutoConfiguration of Boot 3 or 4 on the class path");
    }

    @Test
    void withoutTheStarterBootCannotTellTheDriverOfAPgreplUrl() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(dataSourceAutoConfiguration()))
                .withPropertyValues("spring.datasource.url=" + PGREPL_URL)
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("Failed to determine a suitable driver class"));
    }

    @Test
    void aPgreplUrlGetsThePgreplDriverOnAHikariPool() {
        withStarter.withPropertyValues("spring.datasource.url=" + PGREPL_URL,
                        "spring.datasource.username=admin", "spring.datasource.hikari.maximum-pool-size=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HikariDataSource pool = (HikariDataSource) context.getBean(DataSource.class);
                    assertThat(pool.getDriverClassName()).isEqualTo("org.pgrepl.jdbc.Driver");
                    assertThat(pool.getJdbcUrl()).isEqualTo(PGREPL_URL);
                    // The application's own pool settings are kept.
                    assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
                    assertThat(pool.getUsername()).isEqualTo("admin");
                });
    }

    @Test
    void aDriverTheApplicationNamesIsKept() {
        withStarter.withPropertyValues("spring.datasource.url=" + PGREPL_URL,
                        "spring.datasource.driver-class-name=org.postgresql.Driver")
                .run(context -> assertThat(((HikariDataSource) context.getBean(DataSource.class)).getDriverClassName())
                        .isEqualTo("org.postgresql.Driver"));
    }

    @Test
    void anyOtherUrlLeavesTheStarterOut() {
        withStarter.withPropertyValues("spring.datasource.url=jdbc:postgresql://db-main:5432/db")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(PgReplAutoConfiguration.class);
                    assertThat(context).doesNotHaveBean("pgreplHealthIndicator");
                    assertThat(context).doesNotHaveBean("pgreplMetricsBinder");
                    assertThat(((HikariDataSource) context.getBean(DataSource.class)).getDriverClassName())
                            .isEqualTo("org.postgresql.Driver");
                });
    }

    @Test
    void theHealthIndicatorAndTheBinderAreRegisteredAndCanBeSwitchedOff() {
        withStarter.withPropertyValues("spring.datasource.url=" + PGREPL_URL)
                .run(context -> {
                    assertThat(context).hasBean("pgreplHealthIndicator");
                    assertThat(context).hasBean("pgreplMetricsBinder");
                });
        withStarter.withPropertyValues("spring.datasource.url=" + PGREPL_URL,
                        "management.health.pgrepl.enabled=false", "pgrepl.metrics.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean("pgreplHealthIndicator");
                    assertThat(context).doesNotHaveBean("pgreplMetricsBinder");
                });
        withStarter.withPropertyValues("spring.datasource.url=" + PGREPL_URL, "management.health.defaults.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("pgreplHealthIndicator"));
    }
}
