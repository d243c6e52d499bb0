package dev.stripeconnector.common;

/**
 * The caller closed its connection while its answer was still being streamed: what a streamed answer fails with once the
 * service has stopped reading Stripe for a caller that went away. Nobody is left to answer, so it is noise in the log
 * ({@link ExpectedNoise}), not a fault; a stream that Stripe breaks fails otherwise, and stays an error.
 */
public final class CallerLeft extends RuntimeException {

    public CallerLeft() {
        // No stack trace: where it was made says nothing the message does not.
        super("The caller closed its connection before its answer ended", null, false, false);
    }
}
