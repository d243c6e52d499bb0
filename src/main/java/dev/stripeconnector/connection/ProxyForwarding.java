package dev.stripeconnector.connection;

import dev.stripeconnector.common.MalformedRequest;
import dev.stripeconnector.common.ProxyRoutes;
import dev.stripeconnector.stripe.StripeApiProxy;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * The one way both routes to Stripe's API (the account route and the SDK route) forward a request: the
 * Stripe path checked, the headers worth forwarding picked, the target read, Stripe called through
 * {@link StripeApiProxy} (boundary, retries, deadline, masking) and its answer passed back: status and
 * headers once Stripe's have come, then the body streamed as it arrives. Until then, a failure is still a
 * refusal of the service's own through the problem mapper; once the headers are sent, a body that breaks
 * off can only cut the connection. The routes differ only in how they name the installation.
 */
@ApplicationScoped
class ProxyForwarding {

    private final StripeApiProxy proxy;
    private final Vertx vertx;

    ProxyForwarding(StripeApiProxy proxy, Vertx vertx) {
        this.proxy = proxy;
        this.vertx = vertx;
    }

    /** Forwards the request to Stripe for the installation {@code target} reads (on a worker thread: it blocks). */
    Multi<byte[]> forward(String method, UriInfo uri, HttpHeaders headers, byte[] body, Callable<ConnectionService.ProxyTarget> target) {
        URI requestUri = uri.getRequestUri();
        String stripePath = ProxyRoutes.stripePath(requestUri.getRawPath());
        if (!StripeApiProxy.isSafePath(stripePath)) {
            throw new MalformedRequest("The Stripe path must be a plain path under /v1/ (letters, digits, '_', '-' and '/'), e.g. /v1/customers");
        }
        String rawQuery = requestUri.getRawQuery();
        Map<String, String> forwarded = new LinkedHashMap<>();
        for (String name : StripeApiProxy.FORWARDED_REQUEST_HEADERS) {
            String value = headers.getHeaderString(name);
            if (value != null) {
                forwarded.put(name, value);
            }
        }
        // The target is read on a worker thread (JDBC blocks) in one statement, which also says why an
        // installation cannot be used as it is. The answer comes back on this request's event loop,
        // which calls Stripe without blocking any thread and writes Stripe's answer.
        return RestMulti.fromUniResponse(
                vertx.executeBlocking(target, false)
                        .flatMap(found -> proxy.forward(method, stripePath, rawQuery, forwarded, body, found.secretKey(), found.stripeUserId())),
                StripeApiProxy.Answer::body,
                StripeApiProxy.Answer::headers,
                // Stripe's own 500 is passed on as 502 (with Stripe's body and Request-Id): from this
                // service, a 500 always means a bug of its own.
                answer -> answer.status() == 500 ? 502 : answer.status());
    }
}
