package dev.stripeconnector.stripe;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.common.Causes;
import dev.stripeconnector.crypto.Secret;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where an answer of Stripe (or the lack of one) is classified: into the success
 * a call expected, with every value checked against what the connector can store, or into a
 * {@link StripeFailure} of one {@link StripeFailure.Kind}. Typed clients, gateways and the proxy
 * all come through here.
 */
final class StripeAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stripe ids the connector stores: letters and digits after a known prefix, and short enough for their columns. */
    private static final Pattern ACCOUNT_ID = Pattern.compile("acct_[A-Za-z0-9]{1,250}");
    private static final Pattern PUBLISHABLE_KEY = Pattern.compile("pk_(test|live)_[A-Za-z0-9]{1,240}");
    private static final Pattern SCOPE = Pattern.compile("[a-z_]{1,32}");
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_]{1,64}");
    /** Anything that looks like a key, token or webhook signing secret in Stripe's own words is masked before it is kept or shown. */
    private static final Pattern KEY_LIKE = Pattern.compile("\\b((?:sk|rk|pk|rt|ac|whsec)_(?:test_|live_)?)([A-Za-z0-9*]{5,})");
    static final int MAX_TOKEN_LENGTH = 4096;
    static final int MAX_TEXT = 255;
    static final int MAX_COUNTRY = 8;
    static final int MAX_DESCRIPTION = 1000;

    private StripeAnswers() {
    }

    // ---- errors of connect.stripe.com/oauth ----

    /**
     * An OAuth error answer ({@code {"error", "error_description"}}). 401 and {@code invalid_client}
     * mean the platform's key or client ID was not accepted; the other documented errors refuse the
     * grant itself.
     */
    static StripeFailure oauthError(int status, String body, String retryAfter, String shouldRetry) {
        StripeFailure transientFailure = transientStatus(status, retryAfter, shouldRetry);
        if (transientFailure != null) {
            return transientFailure;
        }
        OAuthError error = read(body, OAuthError.class);
        if (error == null || error.error() == null || !ERROR_CODE.matcher(error.error()).matches()) {
            return nonsense("HTTP " + status + " without a documented OAuth error");
        }
        String description = description(error.description());
        if (description == null && error.description() != null) {
            return nonsense("an OAuth error whose description is not plain text of at most " + MAX_DESCRIPTION + " characters");
        }
        if (status == 401 || "invalid_client".equals(error.error())) {
            return new StripeFailure(StripeFailure.Kind.PLATFORM_KEY_REJECTED, error.error(), description,
                    "Stripe did not accept the platform's secret key or client ID (" + error.error() + ")"
                            + (description != null ? ": " + description : ""), null, null, true);
        }
        if (status >= 400 && status < 500) {
            return new StripeFailure(StripeFailure.Kind.GRANT_REFUSED, error.error(), description,
                    "Stripe refused the grant (" + error.error() + ")" + (description != null ? ": " + description : ""),
                    null, null, true);
        }
        return nonsense("HTTP " + status + " from Stripe's OAuth endpoint");
    }

    /** Whether an OAuth error says the account already is not connected to the platform (deauthorize's goal). */
    static boolean notConnected(StripeFailure failure) {
        String message = failure.stripeMessage() == null ? "" : failure.stripeMessage().toLowerCase(Locale.ROOT);
        return "invalid_client".equals(failure.code()) && message.contains("not connected");
    }

    // ---- errors of api.stripe.com ----

    /** An API error answer ({@code {"error": {"type", "code", "message"}}}). */
    static StripeFailure apiError(int status, String body, String retryAfter, String shouldRetry) {
        StripeFailure transientFailure = transientStatus(status, retryAfter, shouldRetry);
        if (transientFailure != null) {
            return transientFailure;
        }
        ApiError parsed = read(body, ApiError.class);
        ApiError.Detail error = parsed == null ? null : parsed.error();
        String code = error == null || error.code() == null ? null : error.code();
        if (code != null && !ERROR_CODE.matcher(code).matches()) {
            return nonsense("an API error whose code is not a short Stripe error code");
        }
        String message = error == null ? null : description(error.message());
        if (error != null && error.message() != null && message == null) {
            return nonsense("an API error whose message is not plain text of at most " + MAX_DESCRIPTION + " characters");
        }
        String said = message != null ? ": " + message : "";
        if (status == 401) {
            return new StripeFailure(StripeFailure.Kind.PLATFORM_KEY_REJECTED, code != null ? code : "api_key_rejected", message,
                    "Stripe rejected the platform's secret key (invalid, expired or rolled)" + said, null, null, true);
        }
        if (status == 403) {
            if ("account_invalid".equals(code)) {
                // Revoked access, or a key of another platform or mode: the gateway tells them apart.
                return new StripeFailure(StripeFailure.Kind.ACCESS_REVOKED, code, message,
                        "Stripe says the platform has no access to the account" + said, null, null, true);
            }
            return new StripeFailure(StripeFailure.Kind.PERMISSION_MISSING, code != null ? code : "permission_missing", message,
                    "The platform's key, or the connection's scope, lacks a permission Stripe requires" + said, null, null, true);
        }
        if (error == null) {
            return nonsense("HTTP " + status + " without a Stripe error body");
        }
        return new StripeFailure(StripeFailure.Kind.NONSENSE, code != null ? code : "http_" + status, message,
                "Stripe answered an unexpected error (HTTP " + status + ")" + said, null, null, true);
    }

    /** 429 and 5xx: nothing was learned; they say how long to wait and whether to retry. */
    private static StripeFailure transientStatus(int status, String retryAfter, String shouldRetry) {
        Boolean retry = shouldRetry == null ? null : switch (shouldRetry.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
        if (status == 429) {
            return new StripeFailure(StripeFailure.Kind.RATE_LIMITED, "rate_limited", null,
                    "Stripe is rate-limiting the platform's requests; retry later", retryAfter(retryAfter), retry, true);
        }
        if (status >= 500) {
            return new StripeFailure(StripeFailure.Kind.UNAVAILABLE, "http_" + status, null,
                    "Stripe answered HTTP " + status + "; nothing was changed, the call can be retried", retryAfter(retryAfter), retry, true);
        }
        return null;
    }

    // ---- no answer at all ----

    /** A failure before Stripe's answer could be read: the network, a timeout, or a body that is not JSON. */
    static StripeFailure transport(Throwable failure) {
        if (failure instanceof StripeFailure known) {
            return known;
        }
        if (hasCause(failure, JacksonException.class) || messageMentions(failure, "MessageBodyReader", "could not be mapped", "Unable to find")) {
            return nonsense("a body that is not the JSON Stripe documents");
        }
        if (hasCause(failure, ConnectException.class) || hasCause(failure, UnknownHostException.class)
                || hasCause(failure, NoRouteToHostException.class) || typeMentions(failure, "ConnectTimeoutException")) {
            return unavailable("connection refused", false);
        }
        if (hasCause(failure, TimeoutException.class) || typeMentions(failure, "Timeout")) {
            return unavailable("timeout", true);
        }
        return unavailable("connection failed", true);
    }

    static StripeFailure unavailable(String reason, boolean sent) {
        return new StripeFailure(StripeFailure.Kind.UNAVAILABLE, reason.replace(' ', '_'), null,
                "Stripe did not answer (" + reason + "); nothing was changed, the call can be retried", null, null, sent);
    }

    static StripeFailure nonsense(String what) {
        return new StripeFailure(StripeFailure.Kind.NONSENSE, "unexpected_answer", null,
                "Stripe answered " + what + "; nothing was stored", null, null, true);
    }

    // ---- successes, checked before anything is kept ----

    /** A token answer: an access token, a connected account, a mode; every value fits where it is stored. */
    static TokenResponse tokens(TokenResponse tokens) {
        if (tokens == null) {
            throw nonsense("an empty token answer");
        }
        if (!plainToken(tokens.accessToken())) {
            throw nonsense("a token answer without a usable access token");
        }
        if (tokens.refreshToken() != null && !plainToken(tokens.refreshToken())) {
            throw nonsense("a refresh token that is not plain text of at most " + MAX_TOKEN_LENGTH + " characters");
        }
        if (tokens.stripeUserId() == null || !ACCOUNT_ID.matcher(tokens.stripeUserId()).matches()) {
            throw nonsense("a token answer without a valid connected account id (acct_…)");
        }
        if (tokens.livemode() == null) {
            throw nonsense("a token answer without livemode");
        }
        if (tokens.scope() != null && !SCOPE.matcher(tokens.scope()).matches()) {
            throw nonsense("a scope that is not a Stripe scope");
        }
        if (tokens.publishableKey() != null && !PUBLISHABLE_KEY.matcher(tokens.publishableKey()).matches()) {
            throw nonsense("a publishable key that is not pk_…");
        }
        return tokens;
    }

    /**
     * A refresh answer: a token answer that names the connection's own Stripe account and mode.
     * Tokens of another account or mode would make the connection's credentials open someone else's
     * account, so such an answer is nonsense and nothing of it is kept.
     */
    static TokenResponse refreshed(TokenResponse tokens, String stripeUserId, boolean livemode) {
        tokens(tokens);
        if (!stripeUserId.equals(tokens.stripeUserId())) {
            throw nonsense("a refreshed token for another Stripe account (" + tokens.stripeUserId() + ", not the connection's "
                    + stripeUserId + ")");
        }
        if (tokens.livemode() != livemode) {
            throw nonsense("a refreshed token in " + (tokens.livemode() ? "live" : "test") + " mode for a "
                    + (livemode ? "live" : "test") + "-mode connection");
        }
        return tokens;
    }

    /** An account answer for {@code expectedId} (or for the platform itself when null). */
    static StripeAccount account(StripeAccount account, String expectedId) {
        if (account == null || account.id() == null || !ACCOUNT_ID.matcher(account.id()).matches()) {
            throw nonsense("an account without a valid id (acct_…)");
        }
        if (expectedId != null && !expectedId.equals(account.id())) {
            throw nonsense("another account than the one asked for");
        }
        if (!fits(account.businessName(), MAX_TEXT) || !fits(account.email(), MAX_TEXT) || !fits(account.country(), MAX_COUNTRY)) {
            throw nonsense("account facts that are not plain text short enough to keep");
        }
        return account;
    }

    /** Deauthorize's success names the account it disconnected. */
    static void deauthorized(DeauthorizeResponse answer, String stripeUserId) {
        if (answer == null || !stripeUserId.equals(answer.stripeUserId())) {
            throw nonsense("a deauthorization that does not name the disconnected account");
        }
    }

    // ---- helpers ----

    /** Stripe's words, bounded, without control characters, and with anything key-like masked; null when unusable. */
    static String description(String text) {
        if (text == null || text.length() > MAX_DESCRIPTION || hasControl(text)) {
            return null;
        }
        Matcher m = KEY_LIKE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String rest = m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "****" + rest.substring(Math.max(0, rest.length() - 4))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A key as Stripe's dashboard shows it: its prefix and last four characters. */
    static String maskKey(String key) {
        Matcher m = KEY_LIKE.matcher(key);
        if (m.matches()) {
            String rest = m.group(2);
            return m.group(1) + "****" + rest.substring(Math.max(0, rest.length() - 4));
        }
        return "****" + (key.length() > 4 ? key.substring(key.length() - 4) : "");
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(java.time.Instant.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    private static boolean plainToken(Secret token) {
        if (token == null) {
            return false;
        }
        String value = token.reveal();
        return !value.isBlank() && value.length() <= MAX_TOKEN_LENGTH && !hasControl(value) && value.indexOf(' ') < 0;
    }

    private static boolean fits(String value, int max) {
        return value == null || (value.length() <= max && value.indexOf('\u0000') < 0);
    }

    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(body, type);
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        return Causes.any(failure, type::isInstance);
    }

    private static boolean typeMentions(Throwable failure, String name) {
        return Causes.any(failure, t -> t.getClass().getSimpleName().contains(name));
    }

    private static boolean messageMentions(Throwable failure, String... needles) {
        return Causes.any(failure, t -> t.getMessage() != null
                && java.util.Arrays.stream(needles).anyMatch(t.getMessage()::contains));
    }
}
