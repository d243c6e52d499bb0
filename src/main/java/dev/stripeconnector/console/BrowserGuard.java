package dev.stripeconnector.console;

import dev.stripeconnector.common.Failure;
import dev.stripeconnector.common.HttpGuards;
import dev.stripeconnector.connector.PublicOrigin;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.oauth.ResultPages;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * What the HTTP layer enforces on the browser routes (the console, {@code /console/**}, and the
 * install journey, {@code /connector/**}) before routing and security:
 * <ul>
 * <li>the {@code Host} must name one of the service's public origins, or the request is refused with
 *     {@code 421 Misdirected Request}: a short page for a browser (one that accepts HTML), a problem
 *     otherwise. Nothing on these routes is built from another {@code Host} (the API, reached through
 *     cluster names, is not refused);</li>
 * <li>a form posted to {@code /console/**} (the sign-in form included, against login CSRF) must come
 *     from that origin, or it is refused with a page.</li>
 * </ul>
 */
@ApplicationScoped
public class BrowserGuard {

    /** After the request checks of HttpGuards and the public origin's filter, before Quarkus' security handlers. */
    private static final int ORDER = -9_000;

    private final PublicOrigins origins;
    private final ResultPages pages;

    public BrowserGuard(PublicOrigins origins, ResultPages pages) {
        this.origins = origins;
        this.pages = pages;
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
        ctx.next();
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
