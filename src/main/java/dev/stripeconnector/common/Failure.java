package dev.stripeconnector.common;

/**
 * Everything a caller of the API can be told went wrong, as one closed list. Services throw
 * {@link DomainException}s naming one of these; {@link ProblemMapper} alone turns each into an
 * HTTP status and a problem type.
 */
public enum Failure {
    /** A field, parameter or body that does not meet the contract; the problem names each field. */
    INVALID_INPUT,
    /** A request that cannot be read at all (a malformed query, a bad path). */
    MALFORMED_REQUEST,
    /** A body that is not the JSON object the operation reads. */
    MALFORMED_JSON,
    UNAUTHORIZED,
    FORBIDDEN,
    /** The key is valid but its partner is disabled: nothing of the partner works until an operator enables it again. */
    PARTNER_DISABLED,
    /** Something of that name exists already (a partner's id or service domain). */
    ALREADY_EXISTS,
    /** The thing asked for exists, but is not in a state that allows the operation (the detail says which). */
    INVALID_STATE,
    /** The connector is not installed for the account (or another named resource does not exist). */
    NOT_FOUND,
    /** The installation has no usable connection (pending, revoked, error, or no tokens). */
    NOT_CONNECTED,
    /** Stripe refused the connection's refresh token: a person must connect the account again. */
    RECONNECT_NEEDED,
    /** Neither the account nor the console provides a client ID or secret key the call needs. */
    MISSING_CREDENTIALS,
    /**
     * A console or account change would strand connected installations (the problem says how many), or a client ID
     * and secret key Stripe has shown to be of two platforms (the problem says which, and what to fix).
     */
    SETTINGS_IN_USE,
    /** No event subscription receives the event (a redelivery has nowhere to go). */
    NOT_SUBSCRIBED,
    /** Another request changed the same thing at the same moment; retrying is safe. */
    CONCURRENT_CHANGE,
    /** Stripe rejected the platform's secret key (invalid, expired, rolled, or of another platform or mode). */
    PLATFORM_KEY_REJECTED,
    /** The platform's key, or the connection's scope, lacks a permission the call needs. */
    PERMISSION_MISSING,
    /** Stripe asked us to slow down (429). */
    STRIPE_RATE_LIMITED,
    /** Stripe could not be reached, timed out, or answered 5xx; nothing was changed. */
    STRIPE_UNAVAILABLE,
    /** Stripe answered something it does not document (or values out of range); nothing was stored. */
    STRIPE_NONSENSE,
    /** A refresh of the same connection is in progress elsewhere and did not finish in time. */
    REFRESH_IN_PROGRESS,
    /** The database cannot be reached; nothing was changed. */
    DATABASE_UNAVAILABLE,
    WEBHOOKS_NOT_CONFIGURED,
    INVALID_SIGNATURE,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    PAYLOAD_TOO_LARGE,
    /** A file upload sent without {@code Content-Length} (chunked): its size must be known before it is read. */
    LENGTH_REQUIRED,
    /** As many file uploads as the pod holds at once are in flight already; retrying in a moment is safe. */
    TOO_MANY_UPLOADS,
    UNSUPPORTED_MEDIA_TYPE,
    URI_TOO_LONG,
    HEADERS_TOO_LARGE,
    /** A browser route asked for at a {@code Host} that is none of the service's public origins. */
    MISDIRECTED_REQUEST,
    /** A bug: logged, and answered without any detail. */
    INTERNAL
}
