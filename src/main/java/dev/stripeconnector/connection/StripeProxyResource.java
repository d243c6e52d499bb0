package dev.stripeconnector.connection;

import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.common.MalformedRequest;
import dev.stripeconnector.stripe.StripeApiProxy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/accounts/{accountId}/stripe/v1/{path}}: Stripe's API for the connected account,
 * with the right credentials injected. The caller's own {@code Authorization} and any hop-by-hop
 * header are never forwarded; bodies pass through as raw bytes (Stripe's form encoding is never
 * decoded here).
 */
@Path("/api/v1/accounts/{accountId}/stripe/v1")
@Tag(name = "Stripe API proxy")
public class StripeProxyResource {

    private static final String PREFIX = "/stripe/v1/";

    private final ConnectionService connections;
    private final StripeApiProxy proxy;

    public StripeProxyResource(ConnectionService connections, StripeApiProxy proxy) {
        this.connections = connections;
        this.proxy = proxy;
    }

    @GET
    @Path("{path: .*}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "GET Stripe's API as the connected account")
    public Uni<Response> get(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId,
                             @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward("GET", accountId, uri, headers, null);
    }

    @POST
    @Path("{path: .*}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "POST to Stripe's API as the connected account (form-encoded, as Stripe expects)")
    public Uni<Response> post(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId,
                              @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return forward("POST", accountId, uri, headers, body);
    }

    @DELETE
    @Path("{path: .*}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "DELETE in Stripe's API as the connected account")
    public Uni<Response> delete(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId,
                                @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward("DELETE", accountId, uri, headers, null);
    }

    private Uni<Response> forward(String method, String accountId, UriInfo uri, HttpHeaders headers, byte[] body) {
        String rawPath = uri.getRequestUri().getRawPath();
        int at = rawPath.indexOf(PREFIX);
        String stripePath = at < 0 ? "" : rawPath.substring(at + PREFIX.length());
        if (!StripeApiProxy.isSafePath(stripePath)) {
            throw new MalformedRequest("The Stripe path must be a plain path under /v1/ (letters, digits, '_', '-' and '/'), e.g. /v1/customers");
        }
        String rawQuery = uri.getRequestUri().getRawQuery();
        Map<String, String> forwarded = new LinkedHashMap<>();
        for (String name : StripeApiProxy.FORWARDED_REQUEST_HEADERS) {
            String value = headers.getHeaderString(name);
            if (value != null) {
                forwarded.put(name, value);
            }
        }
        // The database read runs on a worker thread; the call to Stripe does not block any thread.
        return Uni.createFrom().item(() -> connections.proxyTarget(accountId))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(target -> proxy.forward(method, stripePath, rawQuery, forwarded, body, target.secretKey(), target.stripeUserId()))
                .map(answer -> {
                    // Stripe's own 500 is passed on as 502 (with Stripe's body and Request-Id): from this
                    // service, a 500 always means a bug of its own.
                    int status = answer.status() == 500 ? 502 : answer.status();
                    Response.ResponseBuilder response = Response.status(status).entity(answer.body());
                    answer.headers().forEach((name, values) -> values.forEach(value -> response.header(name, value)));
                    return response.build();
                });
    }
}
