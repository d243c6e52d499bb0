package dev.stripeconnector.oauth;

/** Ends a callback early with an outcome for the person (an invalid state, an incomplete setup). */
class CallbackFailure extends RuntimeException {

    private final CallbackOutcome outcome;

    CallbackFailure(CallbackOutcome outcome) {
        super(outcome.kind().name(), null, false, false);
        this.outcome = outcome;
    }

    CallbackOutcome outcome() {
        return outcome;
    }
}
