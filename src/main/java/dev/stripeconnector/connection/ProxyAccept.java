package dev.stripeconnector.connection;

import dev.stripeconnector.common.ProxyRoutes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The proxy routes answer whatever Stripe answers, with Stripe's {@code Content-Type}: they do not negotiate.
 * Their methods declare one type so that Quarkus REST streams the body as raw bytes (a wildcard would make it
 * server-sent events), so a caller's {@code Accept} (an SDK sends {@code application/json}) is set aside
 * before the route is matched, where it would otherwise be refused as 406. It is never forwarded to Stripe.
 */
public class ProxyAccept {

    @ServerRequestFilter(preMatching = true)
    public void acceptWhatStripeAnswers(ContainerRequestContext request) {
        if (ProxyRoutes.isProxy(request.getUriInfo().getRequestUri().getRawPath())) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.WILDCARD);
        }
    }
}
