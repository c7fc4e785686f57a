package org.pgrepl.jdbc.model;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets a long run change the tries and the seed without editing the annotations:
 * {@code -Dpgrepl.model.tries=5000} and {@code -Dpgrepl.model.seed=<seed jqwik printed>}
 * ({@code -Dpgrepl.model.steps} sets the actions per try). Prints the run's totals after each
 * property.
 */
public final class ModelRunSettings implements AroundPropertyHook {
    /** Actions per try for the connection properties; the default keeps {@code mvn verify} short. */
    static int steps(int defaultSteps) {
        return Integer.getInteger("pgrepl.model.steps", defaultSteps);
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        Integer tries = Integer.getInteger("pgrepl.model.tries");
        if (tries != null) {
            context.attributes().setTries(tries);
        }
        String seed = System.getProperty("pgrepl.model.seed");
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed);
        }
        long t0 = System.nanoTime();
        PropertyExecutionResult result = property.execute();
        System.out.printf("pgrepl model %s: %s in %d s; totals so far: %s%n", context.label(),
                result.status(), (System.nanoTime() - t0) / 1_000_000_000L, ModelStats.summary());
        return result;
    }
}
