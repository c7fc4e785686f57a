package org.pgrepl.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Boot's rule for a health indicator, written out because {@code @ConditionalOnEnabledHealthIndicator}
 * sits in a different package on each Boot line: {@code management.health.pgrepl.enabled}, else
 * {@code management.health.defaults.enabled}, else on.
 */
final class OnPgReplHealthEnabledCondition extends SpringBootCondition {
    static final String ENABLED = "management.health.pgrepl.enabled";
    static final String DEFAULTS = "management.health.defaults.enabled";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Boolean own = context.getEnvironment().getProperty(ENABLED, Boolean.class);
        if (own != null) {
            return new ConditionOutcome(own, ENABLED + " is " + own);
        }
        boolean defaults = context.getEnvironment().getProperty(DEFAULTS, Boolean.class, true);
        return new ConditionOutcome(defaults, DEFAULTS + " is " + defaults);
    }
}
