package dev.stripeconnector.connector;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The one place where the absolute URLs of a response are made the public origin's, whoever built
 * them. Quarkus' form sign-in builds its redirects, and the cookie that remembers the page to return
 * to, from the request's own scheme and {@code Host}; Quarkus REST does the same to a relative
 * {@code Location}. Behind an ingress that ends TLS the pod sees {@code http}, and {@code Host} is
 * whatever the caller sent. So, as every response's headers are written:
 * <ul>
 * <li>a {@code Location} that is a path, or that names the request's own {@code Host}, gets the
 *     request's public origin (the one its {@code Host} names, else the service's own): scheme and
 *     authority from configuration; any other {@code Location} (Stripe's, a partner's return URL)
 *     is left alone;</li>
 * <li>the {@code quarkus-redirect-location} cookie likewise;</li>
 * <li>every cookie the response sets is {@code Secure} when that origin is https, although the pod
 *     itself speaks http (Quarkus marks them only on a TLS connection).</li>
 * </ul>
 * And on the way in, the sign-in post's return cookie, which names the public origin, is handed to
 * Quarkus as on the request's own origin, which is what Quarkus checks it against.
 */
@ApplicationScoped
public class PublicOriginFilter {

    /** Quarkus form authentication's cookie for the page to return to after signing in. */
    public static final String RETURN_COOKIE = "quarkus-redirect-location";
    /** After the request checks of HttpGuards, before the browser routes' guard and Quarkus' security. */
    private static final int ORDER = -9_900;
    private static final String SIGN_IN_POST = "/console/j_security_check";

    private final PublicOrigins origins;

    public PublicOriginFilter(PublicOrigins origins) {
        this.origins = origins;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::filter);
    }

    private void filter(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        PublicOrigin origin = origins.of(request);
        String requestHost = request.authority() == null ? null : PublicOrigins.hostOf(request.authority());
        boolean handedBack = false;
        if (request.method() == HttpMethod.POST && SIGN_IN_POST.equals(ctx.normalizedPath()) && requestHost != null) {
            Cookie back = request.getCookie(RETURN_COOKIE);
            String asRequested = back == null ? null : origin.onRequestOrigin(back.getValue(), request.scheme() + "://" + requestHost);
            if (asRequested != null && !asRequested.equals(back.getValue())) {
                back.setValue(asRequested);
                handedBack = true;
            }
        }
        boolean returnCookieHandedBack = handedBack;
        ctx.addHeadersEndHandler(v -> rewrite(ctx, origin, requestHost, returnCookieHandedBack));
        ctx.next();
    }

    /** Runs as the headers are written, before Vert.x encodes the cookies this response sets. */
    private static void rewrite(RoutingContext ctx, PublicOrigin origin, String requestHost, boolean returnCookieHandedBack) {
        Cookie back = returnCookieHandedBack ? ctx.request().getCookie(RETURN_COOKIE) : null;
        if (back != null && back.getMaxAge() != 0) {
            // A refused sign-in leaves the page to return to as the browser holds it: nothing to write back.
            ctx.response().removeCookie(RETURN_COOKIE, false);
        }
        String location = ctx.response().headers().get(HttpHeaders.LOCATION);
        if (location != null) {
            ctx.response().headers().set(HttpHeaders.LOCATION, origin.own(location, requestHost));
        }
        for (Cookie cookie : ctx.request().cookies()) {
            // Only the cookies this response sets: the ones the browser sent are not written back.
            if (cookie instanceof ServerCookie set && set.isChanged()) {
                if (RETURN_COOKIE.equals(cookie.getName()) && cookie.getValue() != null) {
                    cookie.setValue(origin.own(cookie.getValue(), requestHost));
                }
                if (origin.secure()) {
                    cookie.setSecure(true);
                }
            }
        }
    }
}
