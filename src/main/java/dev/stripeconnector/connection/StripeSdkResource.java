package dev.stripeconnector.connection;

import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.StripeError;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v1/{path}}: Stripe's API at Stripe's own paths, for Stripe's SDKs pointed at the service (stripe-node
 * builds every request from the host's root). The SDK's {@code apiKey} is the service's API key and its
 * {@code stripeAccount} names the installation ({@code Stripe-Account}: the installation's account id, or the
 * {@code acct_…} of a connected installation where it names exactly one); both are replaced by the platform's
 * key and the connected account, as on the account route, through the same forwarding. Refusals come in
 * Stripe's error shape, so the SDKs raise their own typed exceptions.
 */
@Path("/v1")
@Tag(name = "Stripe API for Stripe's SDKs")
@SecurityRequirement(name = ApiDocument.API_KEY)
@RolesAllowed(Roles.API)
@APIResponse(responseCode = "200", description = "Stripe's answer, passed back as it came",
        content = @Content(mediaType = MediaType.WILDCARD))
@APIResponse(responseCode = "default", description = "Stripe's answer, passed back as it came (Stripe's own 500 as 502), or a"
        + " refusal of the service's own in Stripe's error shape: 400 (a malformed path or Stripe-Account), 401 (the API key),"
        + " 403 (a key without the role, a disabled partner, an installation not connected or without a key), 404"
        + " (resource_missing: no such installation), 413 (a body over the limit), 502/503 (Stripe or the database unreachable)",
        content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StripeError.class)),
                @Content(mediaType = MediaType.WILDCARD)})
public class StripeSdkResource {

    private static final String STRIPE_ACCOUNT = "The installation: its account id, or the acct_ id of a connected installation"
            + " where it names exactly one of yours (the SDK's stripeAccount option)";

    private final ConnectionService connections;
    private final ProxyForwarding forwarding;
    private final SecurityIdentity caller;

    StripeSdkResource(ConnectionService connections, ProxyForwarding forwarding, SecurityIdentity caller) {
        this.connections = connections;
        this.forwarding = forwarding;
        this.caller = caller;
    }

    @GET
    @Path("{path: .*}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Parameter(name = "path", in = ParameterIn.PATH, required = true, description = "Stripe's API path under /v1/, e.g. customers",
            schema = @Schema(type = SchemaType.STRING))
    @Operation(summary = "GET Stripe's API as the installation's connected account (for Stripe's SDKs)")
    public Multi<byte[]> sdkGet(@HeaderParam("Stripe-Account") @Parameter(description = STRIPE_ACCOUNT, required = true) String stripeAccount,
                                @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward("GET", stripeAccount, uri, headers, null);
    }

    @POST
    @Path("{path: .*}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Parameter(name = "path", in = ParameterIn.PATH, required = true, description = "Stripe's API path under /v1/, e.g. customers",
            schema = @Schema(type = SchemaType.STRING))
    @Operation(summary = "POST to Stripe's API as the installation's connected account (for Stripe's SDKs)",
            description = "The body is passed through as raw bytes: form-encoded, or multipart for a file upload (POST /v1/files,"
                    + " which goes on to Stripe's files host). Send an Idempotency-Key to make the request safe to retry.")
    @RequestBody(required = false, content = {
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(type = SchemaType.OBJECT)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(type = SchemaType.OBJECT))})
    public Multi<byte[]> sdkPost(@HeaderParam("Stripe-Account") @Parameter(description = STRIPE_ACCOUNT, required = true) String stripeAccount,
                                 @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return forward("POST", stripeAccount, uri, headers, body);
    }

    /**
     * A file upload ({@code POST /v1/files}), up to 32 MB: read here, on a worker thread, into one array of its declared
     * length ({@link ProxyBody}), rather than gathered by Quarkus REST and copied, at twice its size. Documented with
     * {@link #sdkPost}, whose contract it keeps.
     */
    @POST
    @Path("files{slash: /?}")
    @Blocking
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(hidden = true)
    public Multi<byte[]> sdkUpload(@HeaderParam("Stripe-Account") String stripeAccount, @Context UriInfo uri, @Context HttpHeaders headers,
                                   InputStream body) throws IOException {
        return forward("POST", stripeAccount, uri, headers, ProxyBody.read(body, headers.getLength()));
    }

    @DELETE
    @Path("{path: .*}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Parameter(name = "path", in = ParameterIn.PATH, required = true, description = "Stripe's API path under /v1/, e.g. customers/cus_123",
            schema = @Schema(type = SchemaType.STRING))
    @Operation(summary = "DELETE in Stripe's API as the installation's connected account (for Stripe's SDKs)")
    public Multi<byte[]> sdkDelete(@HeaderParam("Stripe-Account") @Parameter(description = STRIPE_ACCOUNT, required = true) String stripeAccount,
                                   @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward("DELETE", stripeAccount, uri, headers, null);
    }

    private Multi<byte[]> forward(String method, String stripeAccount, UriInfo uri, HttpHeaders headers, byte[] body) {
        // Read here, on the request's thread: the target is looked up in the caller's partner only.
        PartnerId partner = Callers.partnerOf(caller);
        return forwarding.forward(method, uri, headers, body, () -> connections.proxyTargetNamed(partner, stripeAccount));
    }
}
