package org.pgrepl.spring.boot;

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

}
