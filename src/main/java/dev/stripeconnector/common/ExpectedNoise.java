package dev.stripeconnector.common;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops Vert.x's ERROR line for a TCP connection the other side reset. Whoever used the
 * connection hears of it anyway: a call to Stripe is classified and logged as "Stripe did not
 * answer", a client that went away has nothing left to answer. An ERROR line here would only make
 * operators look for a fault that is not there.
 */
@LoggingFilter(name = "expected-noise")
public final class ExpectedNoise implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        return !("io.vertx.core.net.impl.ConnectionBase".equals(record.getLoggerName())
                && "Connection reset".equals(record.getMessage()));
    }
}
