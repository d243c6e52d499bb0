package dev.stripeconnector.console;

import dev.stripeconnector.connector.ServiceUrls;
import dev.stripeconnector.oauth.ResultPages;
import dev.stripeconnector.security.SignInForm;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the console's HTTP layer enforces before security runs:
 * <ul>
 * <li>a form posted to {@code /console/**} (the sign-in form included, against login CSRF) must
 *     come from the service's own origin, or it is refused with a page;</li>
 * <li>the console's cookies are marked {@code Secure} whenever the service's public base URL is
 *     https, also behind a proxy that ends TLS (Quarkus marks them only for a TLS connection);</li>
 * <li>a sign-in form that cannot be one (not {@code application/x-www-form-urlencoded}, or declaring
 *     more than {@link SignInForm#MAX_BYTES}) goes back to the sign-in page with an error, its body
 *     unread; the rest is left whole to Quarkus' form authentication, the only reader of its body.
 *     Until the sign-in's own check gives its reason, the reason is "invalid", which is what a form
 *     is when Vert.x's form decoder gives up on it (quarkus.http.limits.max-form-*) or a field is
 *     missing, and no password is checked.</li>
 * </ul>
 */
@ApplicationScoped
public class ConsoleOriginGuard {

    /** After the request checks of HttpGuards, before Quarkus' security handlers. */
    private static final int ORDER = -9_000;
    private static final List<String> CONSOLE_COOKIES = List.of("connector-console", "quarkus-redirect-location");

    private final ServiceUrls urls;
    private final ResultPages pages;
    private final boolean secureCookies;
    private final String signInPath;
    private final String signInErrorPage;

    public ConsoleOriginGuard(ServiceUrls urls, ResultPages pages,
            @ConfigProperty(name = "quarkus.http.auth.form.post-location") String signInPath,
            @ConfigProperty(name = "quarkus.http.auth.form.error-page") String signInErrorPage) {
        this.urls = urls;
        this.pages = pages;
        this.secureCookies = urls.baseUrl().toLowerCase(Locale.ROOT).startsWith("https://");
        this.signInPath = signInPath;
        this.signInErrorPage = signInErrorPage;
    }

    void install(@Observes Router router) {
        router.route("/console/*").order(ORDER).handler(this::guard);
        router.route("/console").order(ORDER).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        if (secureCookies) {
            ctx.addHeadersEndHandler(v -> markSecure(ctx));
        }
        if (ctx.request().method() == HttpMethod.POST
                && !urls.sameOrigin(ctx.request().getHeader("Origin"), ctx.request().getHeader("Referer"))) {
            Response page = pages.render(403, ResultPages.Tone.PROBLEM, "Not accepted", "This form came from another site",
                    "For your safety, nothing was changed.", null, "Open the console at " + urls.baseUrl() + "/console and try again there.");
            ctx.response().setStatusCode(403);
            page.getStringHeaders().forEach((name, values) -> ctx.response().putHeader(name, values));
            ctx.response().end((String) page.getEntity());
            return;
        }
        if (ctx.request().method() == HttpMethod.POST && signInPath.equals(ctx.normalizedPath())) {
            if (!signInFormAcceptable(ctx)) {
                ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, invalidSignIn()).putHeader(HttpHeaders.CONNECTION, "close").end();
                return;
            }
            // Quarkus answers a sign-in form without a user name or password (a field missing, or a body Vert.x's form
            // decoder gave up on) with an empty 200: the person gets the sign-in page with the error instead.
            ctx.addHeadersEndHandler(v -> {
                if (ctx.response().getStatusCode() == 200) {
                    ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, invalidSignIn());
                }
            });
        }
        ctx.next();
    }

    private String invalidSignIn() {
        return urls.baseUrl() + signInErrorPage + (signInErrorPage.contains("?") ? "&" : "?") + SignInForm.REASON + "="
                + SignInForm.Refusal.INVALID.parameter;
    }

    /** Whether the sign-in form may be read (its reason reset to "invalid" until the password check gives its own). */
    private static boolean signInFormAcceptable(RoutingContext ctx) {
        SignInForm.refuse(ctx, SignInForm.Refusal.INVALID);
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

    /**
     * Runs as the headers are written, before Vert.x encodes the response's cookies: the console's
     * cookies this response sets (not the ones the browser sent) are marked Secure.
     */
    private static void markSecure(RoutingContext ctx) {
        for (String name : CONSOLE_COOKIES) {
            for (Cookie cookie : ctx.request().cookies(name)) {
                if (cookie instanceof ServerCookie set && set.isChanged()) {
                    cookie.setSecure(true);
                }
            }
        }
    }
}
