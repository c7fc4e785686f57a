package org.pgrepl.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own settings ({@code pgrepl.*}). Everything about the connection itself stays in
 * the URL ({@code spring.datasource.url}), where the driver reads it.
 */
@ConfigurationProperties(prefix = "pgrepl")
public class PgReplProperties {
    private final Metrics metrics = new Metrics();

    /** Metrics settings. */
    public Metrics getMetrics() {
        return metrics;
    }

    /** Settings of the Micrometer binder registration. */
    public static class Metrics {
        /**
         * Register pgrepl's Micrometer binder (pgrepl.* meters: routing, hosts, lag,
         * read-your-writes waits) when Micrometer is on the class path.
         */
        private boolean enabled = true;

        /** Whether the binder is registered. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Registers the binder or not. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
