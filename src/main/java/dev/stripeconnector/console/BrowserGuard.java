package dev.stripeconnector.console;

import dev.stripeconnector.common.Failure;
import dev.stripeconnector.common.HttpGuards;
import dev.stripeconnector.connector.PublicOrigin;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.oauth.ResultPages;
import dev.stripeconnector.security.SignInForm;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the HTTP layer enforces on the browser routes (the console, {@code /console/**}, and the
 * install journey, {@code /connector/**}) before routing and security:
 * <ul>
 * <li>the {@code Host} must name one of the service's public origins, or the request is refused with
 *     {@code 421 Misdirected Request}: a short page for a browser (one that accepts HTML), a problem
 *     otherwise. Nothing on these routes is built from another {@code Host} (the API, reached through
 *     cluster names, is not refused);</li>
 * <li>a form posted to {@code /console/**} (the sign-in form included, against login CSRF) must come
 *     from that origin, or it is refused with a page;</li>
 * <li>a sign-in form that cannot be one (not {@code application/x-www-form-urlencoded}, or declaring
 *     more than {@link SignInForm#MAX_BYTES}) goes back to the sign-in page with an error, its body
 *     unread; the rest is left whole to Quarkus' form authentication, the only reader of its body.
 *     Until the sign-in's own check gives its reason, the reason is "invalid", which is what a form
 *     is when Vert.x's form decoder gives up on it (quarkus.http.limits.max-form-*) or a field is
 *     missing, and no password is checked.</li>
 * </ul>
 */
@ApplicationScoped
public class BrowserGuard {

    /** After the request checks of HttpGuards and the public origin's filter, before Quarkus' security handlers. */
    private static final int ORDER = -9_000;

    private final PublicOrigins origins;
    private final ResultPages pages;
    private final String signInPath;
    private final String signInErrorPage;

    public BrowserGuard(PublicOrigins origins, ResultPages pages,
            @ConfigProperty(name = "quarkus.http.auth.form.post-location") String signInPath,
            @ConfigProperty(name = "quarkus.http.auth.form.error-page") String signInErrorPage) {
        this.origins = origins;
        this.pages = pages;
        this.signInPath = signInPath;
        this.signInErrorPage = signInErrorPage;
    }

    void install(@Observes Router router) {
        router.route("/console/*").order(ORDER).handler(ctx -> guard(ctx, true));
        router.route("/console").order(ORDER).handler(ctx -> guard(ctx, true));
        router.route("/connector/*").order(ORDER).handler(ctx -> guard(ctx, false));
    }

    private void guard(RoutingContext ctx, boolean console) {
        Optional<PublicOrigin> origin = origins.match(ctx.request());
        if (origin.isEmpty()) {
            misdirected(ctx);
            return;
        }
        if (console && ctx.request().method() == HttpMethod.POST
                && !origin.get().sameOrigin(ctx.request().getHeader("Origin"), ctx.request().getHeader("Referer"))) {
            send(ctx, pages.render(403, ResultPages.Tone.PROBLEM, "Not accepted", "This form came from another site",
                    "For your safety, nothing was changed.", null, "Open the console at " + origin.get().url("/console") + " and try again there."));
            return;
        }
        if (console && ctx.request().method() == HttpMethod.POST && signInPath.equals(ctx.normalizedPath())) {
            String invalid = invalidSignIn(origin.get());
            if (!signInFormAcceptable(ctx)) {
                ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, invalid).putHeader(HttpHeaders.CONNECTION, "close").end();
                return;
            }
            // Quarkus answers a sign-in form without a user name or password (a field missing, or a body Vert.x's form
            // decoder gave up on) with an empty 200: the person gets the sign-in page with the error instead.
            ctx.addHeadersEndHandler(v -> {
                if (ctx.response().getStatusCode() == 200) {
                    ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, invalid);
                }
            });
        }
        ctx.next();
    }

    private String invalidSignIn(PublicOrigin origin) {
        return origin.url(signInErrorPage + (signInErrorPage.contains("?") ? "&" : "?") + SignInForm.REASON + "="
                + SignInForm.Refusal.INVALID.parameter);
    }

    /** Whether the sign-in form may be read (its reason reset to "invalid" until the password check gives its own). */
    private static boolean signInFormAcceptable(RoutingContext ctx) {
        SignInForm.refuse(ctx, SignInForm.Refusal.INVALID, null);
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).strip().startsWith("application/x-www-form-urlencoded")) {
            // Vert.x decodes no other kind of form without a file upload handler, and throws for a body that is no form at all.
            return false;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return true;
        }
        try {
            return Long.parseLong(length.strip()) <= SignInForm.MAX_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A {@code Host} that is none of the service's: a page a person can read, or a problem for a program. */
    private void misdirected(RoutingContext ctx) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        if (accept != null && accept.contains("text/html")) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            send(ctx, pages.render(421, ResultPages.Tone.PROBLEM, "Wrong address", "This address is not served here",
                    "This page is only served at the service's own address.", null,
                    "Open the link exactly as you received it, or the console at " + origins.primary().url("/console") + "."));
        } else {
            HttpGuards.refuse(ctx, Failure.MISDIRECTED_REQUEST,
                    "This path is served only at the service's own address (" + origins.primary().origin() + "), not at the Host this request names");
        }
    }

    private static void send(RoutingContext ctx, Response page) {
        ctx.response().setStatusCode(page.getStatus());
        page.getStringHeaders().forEach((name, values) -> ctx.response().putHeader(name, values));
        ctx.response().end((String) page.getEntity());
    }
}
