package dev.stripeconnector.oauth;

/**
 * How a callback ended, for the person: rendered as a page, or as a 303 to the request's
 * {@code returnUrl} with {@code status} and {@code accountId} or {@code error}.
 *
 * @param accountId   the installation's account, when the state identified one
 * @param displayName the installation's name (or account id), for the page
 * @param returnUrl   where to send the browser, when the authorization request named a place
 * @param error       the error code given to {@code returnUrl} ({@code access_denied}, {@code invalid_grant}, …)
 * @param description Stripe's own words about the error, shown escaped on the page
 * @param contact     whom the person asks for a new link (the partner's support contact), for a spent or expired state; null: none
 */
public record CallbackOutcome(Kind kind, String accountId, String displayName, String returnUrl, String stripeUserId,
                              String error, String description, String contact) {

    public enum Kind {
        CONNECTED(200),
        /** The person declined at Stripe (or Stripe reported an error on the redirect). */
        DECLINED(200),
        /** Stripe refused the code ({@code invalid_grant}, {@code invalid_request}, …). */
        TOKEN_REFUSED(400),
        /** Stripe did not accept the platform's secret key or client ID: the partner must fix its setup. */
        PLATFORM_REJECTED(409),
        /** Stripe could not be reached, timed out, answered 5xx/429 or nonsense. */
        STRIPE_UNAVAILABLE(502),
        /** The database could not be reached before anything was sent to Stripe: the same page can be reloaded. */
        TRY_AGAIN(503),
        /** Stripe granted the connection but it could not be stored: the code is spent, a new link is needed. */
        NOT_SAVED(503),
        /** Stripe's redirect carried neither a code nor an error. */
        INCOMPLETE_CALLBACK(400),
        /** The installation lost its credentials or was removed meanwhile. */
        SETUP_INCOMPLETE(409),
        STATE_MISSING(400),
        STATE_UNKNOWN(400),
        STATE_EXPIRED(400),
        STATE_USED(400),
        /** The partner whose domain the callback arrived on is disabled: nothing was looked at or changed. */
        PARTNER_DISABLED(403);

        final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** Invalid states identify no installation the page could speak of, and are never redirected. */
        boolean mayRedirect() {
            return this != STATE_MISSING && this != STATE_UNKNOWN && this != STATE_EXPIRED && this != STATE_USED && this != TRY_AGAIN
                    && this != PARTNER_DISABLED;
        }
    }

    static CallbackOutcome connected(String accountId, String displayName, String returnUrl, String stripeUserId) {
        return new CallbackOutcome(Kind.CONNECTED, accountId, displayName, returnUrl, stripeUserId, null, null, null);
    }

    static CallbackOutcome failure(Kind kind, String accountId, String returnUrl, String error, String description) {
        return failure(kind, accountId, accountId, returnUrl, error, description);
    }

    static CallbackOutcome failure(Kind kind, AuthorizationService.ConsumedState consumed, String error, String description) {
        return failure(kind, consumed.accountId(), consumed.displayName(), consumed.returnUrl(), error, description);
    }

    private static CallbackOutcome failure(Kind kind, String accountId, String displayName, String returnUrl, String error,
                                           String description) {
        return new CallbackOutcome(kind, accountId, displayName, returnUrl, null, error, description, null);
    }

    static CallbackOutcome invalidState(Kind kind) {
        return invalidState(kind, null);
    }

    /** A state that cannot be spent; {@code contact}: the partner's support contact, for a state that was used or expired. */
    static CallbackOutcome invalidState(Kind kind, String contact) {
        return new CallbackOutcome(kind, null, null, null, null, null, null, contact);
    }
}
