package dev.stripeconnector.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * The log filter drops a streamed answer's failure only when the caller's leaving caused it: a stream that broke for
 * another reason (Stripe's answer breaking off) keeps its ERROR, and so does a caller's leaving logged by anything else.
 * (ClientAbortTest meets the first case end to end.)
 */
class ExpectedNoiseTest {

    private final ExpectedNoise noise = new ExpectedNoise();

    @Test
    void aStreamedAnswerFailingOnlyBecauseTheCallerLeftIsDropped() {
        assertThat(noise.isLoggable(streamedAnswerFailed(new CallerLeft()))).isFalse();
        assertThat(noise.isLoggable(streamedAnswerFailed(new IllegalStateException("wrapped", new CallerLeft())))).isFalse();
    }

    @Test
    void anyOtherFailureOfAStreamedAnswerStaysAnError() {
        assertThat(noise.isLoggable(streamedAnswerFailed(new RuntimeException("Stripe answered a body that broke off")))).isTrue();
        assertThat(noise.isLoggable(streamedAnswerFailed(null))).isTrue();
        LogRecord elsewhere = new LogRecord(Level.SEVERE, "Unexpected failure while handling a request");
        elsewhere.setLoggerName("dev.stripeconnector.common.ProblemMapper");
        elsewhere.setThrown(new CallerLeft());
        assertThat(noise.isLoggable(elsewhere)).isTrue();
    }

    @Test
    void aWriteToACallerThatLeftIsNoErrorEither() {
        assertThat(noise.isLoggable(streamedAnswerFailed(new java.nio.channels.ClosedChannelException()))).isFalse();
        assertThat(noise.isLoggable(streamedAnswerFailed(new java.io.IOException("Connection reset by peer")))).isFalse();
        assertThat(noise.isLoggable(streamedAnswerFailed(new io.vertx.core.http.HttpClosedException("Connection was closed")))).isFalse();
        assertThat(noise.isLoggable(streamedAnswerFailed(new RuntimeException("wrapped", new java.io.IOException("Broken pipe"))))).isFalse();
    }

    @Test
    void aResetConnectionIsStillDropped() {
        LogRecord reset = new LogRecord(Level.SEVERE, "Connection reset");
        reset.setLoggerName("io.vertx.core.net.impl.ConnectionBase");
        assertThat(noise.isLoggable(reset)).isFalse();
    }

    private static LogRecord streamedAnswerFailed(Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "Exception in SSE server handling, impossible to send it to client");
        record.setLoggerName(ExpectedNoise.STREAMED_ANSWER_LOGGER);
        record.setThrown(thrown);
        return record;
    }
}
