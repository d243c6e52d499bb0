package dev.stripeconnector.console;

import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.connector.PublicOrigin;
import dev.stripeconnector.common.DatabaseFailures;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.security.ConsolePrincipal;
import dev.stripeconnector.security.ConsoleUser;
import dev.stripeconnector.security.Roles;
import dev.stripeconnector.security.SignInAttempts;
import dev.stripeconnector.security.SignInConfig;
import dev.stripeconnector.security.SignInForm;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signing in and out of the console. Quarkus' form authentication checks the posted user name and
 * password at {@code /console/j_security_check} and keeps the session in an encrypted cookie; this
 * resource renders the form (with why the last sign-in was refused, {@link SignInForm.Refusal}) and
 * ends the session.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    private final ConsolePages pages;
    private final ConsoleCsrf csrf;
    private final SecurityIdentity identity;
    private final SignInConfig signIn;
    private final SignInAttempts attempts;
    private final PublicOrigins origins;

    public SignInResource(ConsolePages pages, ConsoleCsrf csrf, SecurityIdentity identity, SignInConfig signIn, SignInAttempts attempts,
                          PublicOrigins origins) {
        this.pages = pages;
        this.csrf = csrf;
        this.identity = identity;
        this.signIn = signIn;
        this.attempts = attempts;
        this.origins = origins;
    }

    @GET
    @Path("/login")
    @PermitAll
    public Response signInForm(@QueryParam("error") String error, @QueryParam(SignInForm.REASON) String reason,
            @jakarta.ws.rs.CookieParam(SignInForm.NAME_COOKIE) String nameCookie, @QueryParam("signedOut") String signedOut,
            HttpServerRequest request) {
        Map<String, Object> data = new HashMap<>();
        data.put("signedOut", signedOut != null);
        // Shown only with a refusal: the name of the attempt that was just refused.
        String name = error == null ? null : SignInForm.nameFrom(nameCookie);
        // Qute escapes it: the page shows the name as text, whatever it holds.
        data.put("username", name == null ? "" : name);
        Optional<Boolean> firstRun = firstRun(origins.of(request).partner());
        data.put("firstRunService", firstRun.orElse(false));
        data.put("firstRunPartner", firstRun.map(serviceDomain -> !serviceDomain).orElse(false));
        if (error == null) {
            return pages.render(200, "login", null, data);
        }
        SignInForm.Refusal refusal = java.util.Arrays.stream(SignInForm.Refusal.values()).filter(r -> r.parameter.equals(reason)).findFirst()
                .orElse(SignInForm.Refusal.WRONG);
        data.put("error", switch (refusal) {
            case WRONG -> "Wrong user name or password.";
            case LOCKED -> locked(name, request);
            case INVALID -> "The sign-in form could not be read: a user name of up to " + ConsoleUser.MAX_USERNAME + " and a password of up to "
                    + ConsoleUser.MAX_PASSWORD + " characters, without control characters. No password was checked.";
            case DISABLED -> "This console is disabled: none of its users can sign in until the service's operator enables it again."
                    + " No password was checked.";
            case UNAVAILABLE -> "Signing in is not possible for a moment (the service cannot reach its database). Please try again shortly.";
        });
        return pages.render(switch (refusal) {
            case WRONG -> 401;
            case LOCKED -> 429;
            case INVALID -> 400;
            case DISABLED -> 403;
            case UNAVAILABLE -> 503;
        }, "login", null, data);
    }

    /**
     * How long the submitted name stays locked, read from the attempts on this domain when the page is
     * shown (so a reload tells the truth, and the page cannot be made to say a lock that is not there).
     * Names are counted whether or not a user has them: the message tells nothing of who exists.
     */
    private String locked(String username, HttpServerRequest request) {
        Optional<PartnerId> domain = origins.match(request).map(PublicOrigin::partner);
        if (username == null || domain.isEmpty()) {
            return "Too many sign-in attempts for this user name: no password was checked. It is locked for at most "
                    + minutes(signIn.window().compareTo(signIn.lockout()) > 0 ? signIn.window() : signIn.lockout()) + " more minutes.";
        }
        Optional<Duration> rest;
        try {
            rest = attempts.lockedFor(domain.get(), username);
        } catch (StatementFailed unreadable) {
            return "Too many sign-in attempts for this user name: no password was checked. Please try again in a few minutes.";
        }
        return rest.map(duration -> "This user name is locked for " + minutes(duration) + " more " + (minutes(duration) == 1 ? "minute" : "minutes")
                        + " after too many sign-in attempts. No password was checked.")
                .orElse("This user name is not locked any more: sign in again.");
    }

    /** Whole minutes, rounded up: a lock of 14 minutes and 1 second is 15 more minutes. */
    static long minutes(Duration duration) {
        return Math.max(1, (duration.toMillis() + 59_999) / 60_000);
    }

    /**
     * On a fresh deployment nobody can sign in until a first user exists, and the form alone would not say so:
     * present (true on the service's own domain, false on another partner's) when the page's console has no user.
     * Says only that the count is zero, which anyone who tried a name would learn anyway.
     */
    private static Optional<Boolean> firstRun(PartnerId partner) {
        long users;
        try {
            users = partner.isDefault()
                    ? ConsoleUser.count("partnerId is null or partnerId = ?1", PartnerId.DEFAULT.value())
                    : ConsoleUser.count("partnerId = ?1", partner.value());
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                // The form still renders; signing in then says the database is away.
                return Optional.empty();
            }
            throw e;
        }
        return users > 0 ? Optional.empty() : Optional.of(partner.isDefault());
    }

    @POST
    @Path("/logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response signOut(@FormParam(ConsoleCsrf.FIELD) String token, RoutingContext context) {
        if (!csrf.valid(ConsolePrincipal.username(identity), token)) {
            return pages.seeOther("/console/settings");
        }
        FormAuthenticationMechanism.logout(context);
        return OperatorConsoleResource.closeView(pages.seeOther("/console/login?signedOut=true"));
    }
}
