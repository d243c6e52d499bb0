package dev.stripeconnector.security;

import dev.stripeconnector.common.Fields;
import io.vertx.ext.web.RoutingContext;

/**
 * What a posted sign-in form must be before its password is worth checking, and how a refusal
 * reaches the sign-in page. Quarkus' form authentication answers every refusal with one redirect,
 * to {@code quarkus.http.auth.form.error-page}, copying the query parameters named in
 * {@code error-page-query-params} from the request; so the reason is set as the request's
 * {@value #REASON} parameter, where that redirect picks it up, and the page says what happened.
 */
public final class SignInForm {

    /** The query parameter that carries the reason to the sign-in page. */
    public static final String REASON = "reason";
    /** The query parameter that carries the submitted user name back to the form, so it need not be typed again. */
    /**
     * The cookie that carries the submitted user name back to the sign-in page: never the redirect's URL, which
     * browser history and access logs keep (and a person sometimes types the password into the name field).
     */
    public static final String NAME_COOKIE = "console-sign-in-name";
    private static final int NAME_COOKIE_SECONDS = 300;

    /**
     * Far above a real form (a name of {@value ConsoleUser#MAX_USERNAME} and a password of
     * {@value ConsoleUser#MAX_PASSWORD} characters, percent-encoded), far below the server's limits.
     */
    public static final long MAX_BYTES = 4096;

    /** Why a sign-in was refused, as the sign-in page's {@value #REASON} parameter. */
    public enum Refusal {
        /** The password was checked and is not the user's, or the user does not exist or is disabled. */
        WRONG("wrong"),
        /** The name's guesses are used up: nothing was checked. */
        LOCKED("locked"),
        /** The form could not be a sign-in (too large, a field missing, too long or with control characters): nothing was checked. */
        INVALID("invalid"),
        /** The partner whose domain the form was posted to is disabled: nothing was checked or counted. */
        DISABLED("disabled"),
        /** The database did not answer: nothing was checked or counted. */
        UNAVAILABLE("unavailable");

        public final String parameter;

        Refusal(String parameter) {
            this.parameter = parameter;
        }
    }

    private SignInForm() {
    }

    /**
     * Sets the reason the error page's redirect will carry (the last one set wins), and the submitted
     * {@code username}, when it could be a user name, in {@link #NAME_COOKIE} (the page shows it again, escaped).
     */
    public static void refuse(RoutingContext http, Refusal refusal, String username) {
        if (http != null) {
            http.queryParams().set(REASON, refusal.parameter);
            if (shownAgain(username)) {
                http.response().addCookie(io.vertx.core.http.Cookie.cookie(NAME_COOKIE,
                                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(username.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .setPath("/console/login").setHttpOnly(true).setMaxAge(NAME_COOKIE_SECONDS)
                        .setSameSite(io.vertx.core.http.CookieSameSite.LAX).setSecure(http.request().isSSL() || "https".equals(http.request().scheme())));
            }
        }
    }

    /** The user name {@link #NAME_COOKIE} carries, when it is one that can be put back in the form; else null. */
    public static String nameFrom(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 4 * ConsoleUser.MAX_USERNAME) {
            return null;
        }
        try {
            String name = new String(java.util.Base64.getUrlDecoder().decode(cookie), java.nio.charset.StandardCharsets.UTF_8);
            return shownAgain(name) ? name : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** Whether a submitted user name can be put back in the form: one a user could have. */
    public static boolean shownAgain(String username) {
        return username != null && !username.isEmpty() && username.length() <= ConsoleUser.MAX_USERNAME && !Fields.hasControlCharacter(username);
    }

    /**
     * Whether the posted values can be checked at all: a user name of 1 to {@value ConsoleUser#MAX_USERNAME}
     * and a password of 1 to {@value ConsoleUser#MAX_PASSWORD} characters, neither with control characters
     * (PostgreSQL refuses a NUL), from a body of at most {@value #MAX_BYTES} bytes (a chunked body's length is
     * known only once Vert.x has read it, bounded by {@code quarkus.http.limits.max-form-*}).
     */
    static boolean acceptable(String username, String password, RoutingContext http) {
        if (http != null && http.request().bytesRead() > MAX_BYTES) {
            return false;
        }
        return username != null && !username.isEmpty() && username.length() <= ConsoleUser.MAX_USERNAME && !Fields.hasControlCharacter(username)
                && password != null && !password.isEmpty() && password.length() <= ConsoleUser.MAX_PASSWORD && !Fields.hasControlCharacter(password);
    }
}
