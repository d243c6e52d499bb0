package dev.stripeconnector.common;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops two ERROR lines that name no fault of the service:
 * <ul>
 * <li>Vert.x's line for a TCP connection the other side reset. Whoever used the connection hears of it anyway: a call
 *     to Stripe is classified and logged as "Stripe did not answer", a client that went away has nothing left to
 *     answer.</li>
 * <li>Quarkus REST's line for a streamed answer (the Stripe proxy's) that failed after its head was sent, when it
 *     failed because the caller closed its connection ({@link CallerLeft}) or a write to it failed. A stream that broke
 *     for any other reason (Stripe's answer breaking off, say) keeps its ERROR.</li>
 * </ul>
 * An ERROR line for either would only make operators look for a fault that is not there.
 */
@LoggingFilter(name = "expected-noise")
public final class ExpectedNoise implements Filter {

    /** Logs "Exception in SSE server handling, impossible to send it to client" for any streamed answer that fails late. */
    static final String STREAMED_ANSWER_LOGGER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";

    @Override
    public boolean isLoggable(LogRecord record) {
        if ("io.vertx.core.net.impl.ConnectionBase".equals(record.getLoggerName()) && "Connection reset".equals(record.getMessage())) {
            return false;
        }
        return !(STREAMED_ANSWER_LOGGER.equals(record.getLoggerName()) && Causes.any(record.getThrown(), ExpectedNoise::callerGone));
    }

    /**
     * The caller's side of a streamed answer failing: its connection closed while nothing was being written
     * ({@link CallerLeft}, from the proxy's cancel), or a write to it failed (Vert.x's closed connection, the channel's
     * I/O errors: closed, reset by peer, broken pipe). Stripe's side never reaches here as one of those: the proxy turns
     * a break of Stripe's answer into a StripeFailure that carries no cause.
     */
    static boolean callerGone(Throwable failure) {
        return failure instanceof CallerLeft || failure instanceof io.vertx.core.http.HttpClosedException
                || failure instanceof java.io.IOException;
    }
}
