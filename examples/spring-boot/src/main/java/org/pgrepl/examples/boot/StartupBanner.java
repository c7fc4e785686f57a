package org.pgrepl.examples.boot;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Prints what to try once the service listens. */
@Component
class StartupBanner {
    private final Environment environment;

    StartupBanner(Environment environment) {
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void printTryThis() {
        String base = "http://localhost:" + environment.getProperty("local.server.port");
        System.out.println("""

                pgrepl patient service on %1$s (Ctrl-C stops it). Try:
                  curl -si -X POST -H 'Content-Type: application/json' -d '{"reason":"check-up"}' %1$s/patients/1/visits
                  curl -si %1$s/visits/1                  # read-only: a replica serves it (%2$s header)
                  curl -si %1$s/patients/1/visits
                  curl -s %1$s/actuator/health            # the pgrepl component: hosts, roles, lag
                  curl -s %1$s/actuator/prometheus | grep -E '^(pgrepl|hikaricp)_' | head
                """.formatted(base, VisitController.SERVED_BY));
    }
}
