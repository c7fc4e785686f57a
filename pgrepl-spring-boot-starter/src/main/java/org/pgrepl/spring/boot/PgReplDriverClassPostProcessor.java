package org.pgrepl.spring.boot;

import java.util.Set;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.StringUtils;

/**
 * Sets {@code driverClassName} to {@code org.pgrepl.jdbc.Driver} on Boot's bound
 * {@code DataSourceProperties} when its URL is a pgrepl URL and the application named no driver.
 *
 * <p>Why: Boot derives the driver class from the URL prefix ({@code DatabaseDriver}), does not know
 * {@code jdbc:pgrepl:}, and fails with "Failed to determine a suitable driver class". Nothing else
 * of the properties is touched, so the pool (HikariCP) and every {@code spring.datasource.*} setting
 * stay as Boot and the application made them.
 *
 * <p>The class moved in Boot 4 ({@code org.springframework.boot.autoconfigure.jdbc} in 3.x,
 * {@code org.springframework.boot.jdbc.autoconfigure} in 4.x); both have the same bean properties,
 * so they are matched by name and set through a {@link BeanWrapper}, with no compile-time tie to
 * either line.
 */
final class PgReplDriverClassPostProcessor implements BeanPostProcessor {
    static final String DRIVER_CLASS = "org.pgrepl.jdbc.Driver";
    private static final Set<String> DATA_SOURCE_PROPERTIES = Set.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceProperties",
            "org.springframework.boot.autoconfigure.jdbc.DataSourceProperties");

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        // After initialization: @ConfigurationProperties binding happens before it.
        if (DATA_SOURCE_PROPERTIES.contains(bean.getClass().getName())) {
            BeanWrapper properties = PropertyAccessorFactory.forBeanPropertyAccess(bean);
            Object url = properties.getPropertyValue("url");
            Object driver = properties.getPropertyValue("driverClassName");
            if (OnPgReplUrlCondition.isPgReplUrl((String) url) && !StringUtils.hasText((String) driver)) {
                properties.setPropertyValue("driverClassName", DRIVER_CLASS);
            }
        }
        return bean;
    }
}
