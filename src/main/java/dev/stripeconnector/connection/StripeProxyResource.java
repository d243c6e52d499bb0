package dev.stripeconnector.connection;

import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.common.ApiProblem;
import io.smallrye.common.annotation.Blocking;
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
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;

/**
 * {@code /api/v1/accounts/{accountId}/stripe/v1/{path}}: Stripe's API for the connected account,
 * with the right credentials injected. The caller's own {@code Authorization} and any
 * hop-by-hop header are never forwarded.
 */
@Path("/api/v1/accounts/{accountId}/stripe/v1")
@Tag(name = "Stripe API proxy")
public class StripeProxyResource {

    private static final String PREFIX = "/stripe/v1/";

    private final ConnectionService connections;
    private final StripeProxy proxy;

    public StripeProxyResource(ConnectionService connections, StripeProxy proxy) {
        this.connections = connections;
        this.proxy = proxy;
    }

    @GET
    @Path("{path: .*}")
    @Blocking
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "GET Stripe's API as the connected account")
    public Response get(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId,
                                 @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward("GET", accountId, uri, headers, null);
    }

    @POST
    @Path("{path: .*}")
    @Blocking
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "POST to Stripe's API as the connected account (form-encoded, as Stripe expects)")
    public Response post(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId,
                                  @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return forward("POST", accountId, uri, headers, body);
    }

    @DELETE
    @Path("{path: .*}")
    @Blocking
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "DELETE in Stripe's API as the connected account")
    public Response delete(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId,
                                    @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward("DELETE", accountId, uri, headers, null);
    }

    private Response forward(String method, String accountId, UriInfo uri, HttpHeaders headers, byte[] body) {
        String rawPath = uri.getRequestUri().getRawPath();
        int at = rawPath.indexOf(PREFIX);
        String stripePath = at < 0 ? "" : rawPath.substring(at + PREFIX.length());
        if (!StripeProxy.isSafePath(stripePath)) {
            throw ApiProblem.badRequest("The Stripe path must be a plain path under /v1/ (letters, digits, '_', '-' and '/'), e.g. /v1/customers");
        }
        ConnectionService.ProxyTarget target = connections.proxyTarget(accountId);
        Map<String, String> forwarded = new LinkedHashMap<>();
        for (String name : StripeProxy.FORWARDED_REQUEST_HEADERS) {
            String value = headers.getHeaderString(name);
            if (value != null) {
                forwarded.put(name, value);
            }
        }
        StripeProxy.Upstream upstream = proxy.forward(method, stripePath, uri.getRequestUri().getRawQuery(), forwarded, body, target);
        InputStream in = upstream.body();
        StreamingOutput stream = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        Response.ResponseBuilder response = Response.status(upstream.status()).entity(stream);
        upstream.headers().forEach((name, values) -> values.forEach(value -> response.header(name, value)));
        return response.build();
    }
}
