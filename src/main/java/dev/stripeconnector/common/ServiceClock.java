package dev.stripeconnector.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The service's one clock. Times are kept at PostgreSQL's precision (microseconds), so a value
 * read back equals the value written; tests can replace the bean to move time.
 */
@ApplicationScoped
public class ServiceClock {

    private final Clock clock = Clock.systemUTC();

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
