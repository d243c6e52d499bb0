package dev.stripeconnector.partner;

import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.connector.ServiceUrls;
import dev.stripeconnector.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operators' routes: a partner's API keys. The key itself appears only in the answer that issues it. */
@Path("/api/v1/partners/{partnerId}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Partners (operators)")
@SecurityRequirement(name = ApiDocument.OPERATOR_KEY)
@RolesAllowed(Roles.OPERATOR)
@APIResponse(responseCode = "400", description = "An invalid path or body field (each named in errors)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No partner has that id, or the partner no key with that id",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class PartnerKeyResource {

    private static final String KEY_ID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private static final Pattern KEY_ID_SHAPE = Pattern.compile(KEY_ID);

    private final PartnerKeyService service;
    private final ServiceUrls urls;

    public PartnerKeyResource(PartnerKeyService service, ServiceUrls urls) {
        this.service = service;
        this.urls = urls;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue an API key for the partner: shown once in this answer, only its hash is stored",
            description = "The key reaches the partner's own routes (today's /api routes) with the roles it holds.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NewPartnerKey.class)))
    @APIResponse(responseCode = "201", description = "Issued: the key is in `key`, this once",
            headers = @Header(name = "Location", description = "The key's URL", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssuedPartnerKey.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response createPartnerApiKey(@PathParam("partnerId") @Parameter(description = "the partner's id",
            schema = @Schema(type = SchemaType.STRING, pattern = PartnerId.PATTERN)) String partnerId, NewPartnerKey key) {
        PartnerId partner = PartnerId.fromPath(partnerId);
        IssuedPartnerKey issued = service.create(partner, key);
        return Response.created(location(partner, issued.apiKey().id())).entity(issued).build();
    }

    @GET
    @Operation(summary = "The partner's API keys, oldest first, whatever their status (never the keys themselves)")
    @APIResponse(responseCode = "200", description = "The keys",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PartnerKeyView[].class)))
    public List<PartnerKeyView> listPartnerApiKeys(@PathParam("partnerId") @Parameter(description = "the partner's id",
            schema = @Schema(type = SchemaType.STRING, pattern = PartnerId.PATTERN)) String partnerId) {
        return service.list(PartnerId.fromPath(partnerId));
    }

    @GET
    @Path("/{keyId}")
    @Operation(summary = "One API key of the partner (never the key itself)")
    @APIResponse(responseCode = "200", description = "The key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PartnerKeyView.class)))
    public PartnerKeyView getPartnerApiKey(@PathParam("partnerId") @Parameter(description = "the partner's id",
                                                   schema = @Schema(type = SchemaType.STRING, pattern = PartnerId.PATTERN)) String partnerId,
                                           @PathParam("keyId") @Parameter(description = "the key's id",
                                                   schema = @Schema(type = SchemaType.STRING, format = "uuid")) String keyId) {
        return service.get(PartnerId.fromPath(partnerId), keyId(keyId));
    }

    @POST
    @Path("/{keyId}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate an API key: a new key with the same name and roles, shown once; the old one works until oldKeyExpiresAt",
            description = "Without oldKeyExpiresAt the old key stops at once. A revoked, expired or already rotated key cannot be rotated.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = KeyRotation.class)))
    @APIResponse(responseCode = "201", description = "The new key in `key`, this once; the old key in `replaced`",
            headers = @Header(name = "Location", description = "The new key's URL", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssuedPartnerKey.class)))
    @APIResponse(responseCode = "409", description = "invalid-state: the key is revoked, expired or rotated already",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response rotatePartnerApiKey(@PathParam("partnerId") @Parameter(description = "the partner's id",
                                                schema = @Schema(type = SchemaType.STRING, pattern = PartnerId.PATTERN)) String partnerId,
                                        @PathParam("keyId") @Parameter(description = "the key's id",
                                                schema = @Schema(type = SchemaType.STRING, format = "uuid")) String keyId,
                                        KeyRotation rotation) {
        PartnerId partner = PartnerId.fromPath(partnerId);
        IssuedPartnerKey issued = service.rotate(partner, keyId(keyId), rotation);
        return Response.created(location(partner, issued.apiKey().id())).entity(issued).build();
    }

    @POST
    @Path("/{keyId}/revoke")
    @Operation(summary = "Revoke an API key: it stops working at once, on every replica (revoking it again changes nothing)")
    @APIResponse(responseCode = "200", description = "The key, revoked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PartnerKeyView.class)))
    public PartnerKeyView revokePartnerApiKey(@PathParam("partnerId") @Parameter(description = "the partner's id",
                                                      schema = @Schema(type = SchemaType.STRING, pattern = PartnerId.PATTERN)) String partnerId,
                                              @PathParam("keyId") @Parameter(description = "the key's id",
                                                      schema = @Schema(type = SchemaType.STRING, format = "uuid")) String keyId) {
        return service.revoke(PartnerId.fromPath(partnerId), keyId(keyId));
    }

    /** From the configured public base URL, never from the request's Host header. */
    private URI location(PartnerId partner, UUID key) {
        return URI.create(urls.baseUrl() + "/api/v1/partners/" + partner + "/api-keys/" + key);
    }

    private static UUID keyId(String text) {
        if (text == null || !KEY_ID_SHAPE.matcher(text).matches()) {
            throw InvalidInput.of("keyId", "must be a key id (a UUID)");
        }
        return UUID.fromString(text);
    }
}
