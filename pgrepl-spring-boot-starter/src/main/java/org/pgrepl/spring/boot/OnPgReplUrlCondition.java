package org.pgrepl.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code spring.datasource.url} is a pgrepl URL. The starter stays out of an
 * application whose DataSource is anything else, even with the jar on its class path.
 */
final class OnPgReplUrlCondition extends SpringBootCondition {
    static final String URL_PROPERTY = "spring.datasource.url";
    static final String PREFIX = "jdbc:pgrepl:";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String url = context.getEnvironment().getProperty(URL_PROPERTY);
        if (isPgReplUrl(url)) {
            return ConditionOutcome.match(URL_PROPERTY + " starts with " + PREFIX);
        }
        // Never echo the URL: it may carry a password.
        return ConditionOutcome.noMatch(url == null ? URL_PROPERTY + " is not set"
                : URL_PROPERTY + " does not start with " + PREFIX);
    }

    static boolean isPgReplUrl(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }
}
