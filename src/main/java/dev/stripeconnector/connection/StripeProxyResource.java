package dev.stripeconnector.connection;

import dev.stripeconnector.common.AccountIds;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
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
import java.io.IOException;
import java.io.InputStream;
import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/accounts/{accountId}/stripe/v1/{path}}: Stripe's API for the connected account,
 * with the right credentials injected. The caller's own {@code Authorization} and any hop-by-hop
 * header are never forwarded; bodies pass through as raw bytes (Stripe's form encoding and multipart
 * uploads are never decoded here). The SDK route ({@link StripeSdkResource}) forwards the same way.
 */
@Path("/api/v1/accounts/{accountId}/stripe/v1")
@Tag(name = "Stripe API proxy")
@SecurityRequirement(name = ApiDocument.API_KEY)
@RolesAllowed(Roles.API)
@APIResponse(responseCode = "200", description = "Stripe's answer, passed back as it came",
        content = @Content(mediaType = MediaType.WILDCARD))
@APIResponse(responseCode = "default", description = "Stripe's answer, passed back as it came (Stripe's own 500 as 502)",
        content = @Content(mediaType = MediaType.WILDCARD))
@APIResponse(responseCode = "400", description = "A path that is not a plain Stripe path, an invalid account id, or Stripe's own 400",
        content = {@Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)),
                @Content(mediaType = MediaType.WILDCARD)})
@APIResponse(responseCode = "401", description = "Missing or wrong API key, or Stripe's own 401 (application/json)",
        content = {@Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)),
                @Content(mediaType = MediaType.WILDCARD)})
@APIResponse(responseCode = "404", description = "The connector is not installed for the account, or Stripe's own 404",
        content = {@Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)),
                @Content(mediaType = MediaType.WILDCARD)})
@APIResponse(responseCode = "409", description = "not-connected: the installation has no usable connection, or Stripe's own 409",
        content = {@Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)),
                @Content(mediaType = MediaType.WILDCARD)})
@APIResponse(responseCode = "422", description = "missing-credentials: no secret key to call Stripe with",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "502", description = "Stripe did not answer (problem+json), or Stripe's own 500 passed on",
        content = {@Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)),
                @Content(mediaType = MediaType.WILDCARD)})
@APIResponse(responseCode = "503", description = "The database cannot be reached (problem+json), or Stripe's own 503",
        content = {@Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)),
                @Content(mediaType = MediaType.WILDCARD)})
public class StripeProxyResource {

    private final ConnectionService connections;
    private final ProxyForwarding forwarding;
    private final SecurityIdentity caller;

    StripeProxyResource(ConnectionService connections, ProxyForwarding forwarding, SecurityIdentity caller) {
        this.connections = connections;
        this.forwarding = forwarding;
        this.caller = caller;
    }

    @GET
    @Path("{path: .*}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Parameter(name = "path", in = ParameterIn.PATH, required = true, description = "Stripe's API path under /v1/, e.g. customers or"
            + " customers/cus_123 (Swagger UI can try one segment only)", schema = @Schema(type = SchemaType.STRING))
    @Operation(summary = "GET Stripe's API as the connected account")
    public Multi<byte[]> proxyGet(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId,
                             @Context UriInfo uri, @Context HttpHeaders headers) {
        AccountIds.check(accountId);
        return forward("GET", accountId, uri, headers, null);
    }

    @POST
    @Path("{path: .*}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Parameter(name = "path", in = ParameterIn.PATH, required = true, description = "Stripe's API path under /v1/, e.g. customers or"
            + " customers/cus_123 (Swagger UI can try one segment only)", schema = @Schema(type = SchemaType.STRING))
    @Operation(summary = "POST to Stripe's API as the connected account (form-encoded, as Stripe expects)",
            description = "The body is passed through as raw bytes: form-encoded, or multipart for a file upload (POST .../files,"
                    + " which goes on to Stripe's files host). Send an Idempotency-Key to make the request safe to retry.")
    @RequestBody(required = false, content = {@Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(type = SchemaType.OBJECT, description = "Stripe's parameters, e.g. email=jenny.rosen@example.com")),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
                    schema = @Schema(type = SchemaType.OBJECT, description = "A file upload (POST files), sent on to Stripe's files host"))})
    public Multi<byte[]> proxyPost(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId,
                              @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        AccountIds.check(accountId);
        return forward("POST", accountId, uri, headers, body);
    }

    /**
     * A file upload ({@code POST files}), up to 32 MB: read here, on a worker thread, into one array of its declared
     * length ({@link ProxyBody}), rather than gathered by Quarkus REST and copied, at twice its size. Documented with
     * {@link #proxyPost}, whose contract it keeps.
     */
    @POST
    @Path("files{slash: /?}")
    @Blocking
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(hidden = true)
    public Multi<byte[]> proxyUpload(@PathParam("accountId") String accountId, @Context UriInfo uri, @Context HttpHeaders headers,
                                     InputStream body) throws IOException {
        AccountIds.check(accountId);
        return forward("POST", accountId, uri, headers, ProxyBody.read(body, headers.getLength()));
    }

    @DELETE
    @Path("{path: .*}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Parameter(name = "path", in = ParameterIn.PATH, required = true, description = "Stripe's API path under /v1/, e.g. customers or"
            + " customers/cus_123 (Swagger UI can try one segment only)", schema = @Schema(type = SchemaType.STRING))
    @Operation(summary = "DELETE in Stripe's API as the connected account")
    public Multi<byte[]> proxyDelete(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId,
                                @Context UriInfo uri, @Context HttpHeaders headers) {
        AccountIds.check(accountId);
        return forward("DELETE", accountId, uri, headers, null);
    }

    private Multi<byte[]> forward(String method, String accountId, UriInfo uri, HttpHeaders headers, byte[] body) {
        // Read here, on the request's thread: the target is looked up in the caller's partner only.
        PartnerId partner = Callers.partnerOf(caller);
        return forwarding.forward(method, uri, headers, body, () -> connections.proxyTarget(partner, accountId));
    }
}
