package dev.stripeconnector.console;

import dev.stripeconnector.connector.ServiceUrls;
import dev.stripeconnector.oauth.ResultPages;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;

/**
 * What the console's HTTP layer enforces before security runs:
 * <ul>
 * <li>a form posted to {@code /console/**} (the sign-in form included, against login CSRF) must
 *     come from the service's own origin, or it is refused with a page;</li>
 * <li>the console's cookies are marked {@code Secure} whenever the service's public base URL is
 *     https, also behind a proxy that ends TLS (Quarkus marks them only for a TLS connection).</li>
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

    public ConsoleOriginGuard(ServiceUrls urls, ResultPages pages) {
        this.urls = urls;
        this.pages = pages;
        this.secureCookies = urls.baseUrl().toLowerCase(Locale.ROOT).startsWith("https://");
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
        ctx.next();
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
