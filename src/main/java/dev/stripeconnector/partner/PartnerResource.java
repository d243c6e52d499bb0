package dev.stripeconnector.partner;

import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.connector.ServiceUrls;
import dev.stripeconnector.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
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

/** Operators' routes: the platform's partners. A partner's own key never reaches them (403). */
@Path("/api/v1/partners")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Partners (operators)")
@SecurityRequirement(name = ApiDocument.OPERATOR_KEY)
@RolesAllowed(Roles.OPERATOR)
@APIResponse(responseCode = "400", description = "An invalid path, query or body field (each named in errors)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class PartnerResource {

    private final PartnerService service;
    private final ServiceUrls urls;

    public PartnerResource(PartnerService service, ServiceUrls urls) {
        this.service = service;
        this.urls = urls;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a partner, active, with its service domain",
            description = "Then issue its first API key (POST /api/v1/partners/{partnerId}/api-keys) and have it register the answer's"
                    + " redirectUri in its Stripe Connect settings.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NewPartner.class)))
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", description = "The partner's URL",
            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PartnerView.class)))
    @APIResponse(responseCode = "409", description = "already-exists: a partner has that id, or that service domain, already",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response createPartner(NewPartner partner) {
        PartnerView created = service.create(partner);
        // From the configured public base URL, never from the request's Host header.
        return Response.created(URI.create(urls.baseUrl() + "/api/v1/partners/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "List partners in id order, a page at a time")
    @APIResponse(responseCode = "200", description = "A page of partners; nextCursor is null on the last page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PartnerService.Page.class)))
    public PartnerService.Page listPartners(@Parameter(description = "active or disabled") @QueryParam("status") String status,
                                            @Parameter(description = "1 to 200 (default 50)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
                                            @QueryParam("limit") String limit,
                                            @Parameter(description = "the nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        return service.list(status, limit, cursor);
    }

    @GET
    @Path("/{partnerId}")
    @Operation(summary = "A partner: its status, service domain and the redirect URI it registers at Stripe")
    @APIResponse(responseCode = "200", description = "The partner",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PartnerView.class)))
    @APIResponse(responseCode = "404", description = "No partner has that id",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public PartnerView getPartner(@PathParam("partnerId") @Parameter(description = "the partner's id",
            schema = @Schema(type = SchemaType.STRING, pattern = PartnerId.PATTERN)) String partnerId) {
        return service.get(PartnerId.fromPath(partnerId));
    }

    @PATCH
    @Path("/{partnerId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a partner's name or service domain, or disable or enable it",
            description = "An omitted field keeps its value. Disabling takes effect at once on every replica: the partner's keys get 403"
                    + " partner-disabled; its data stays until the partner is deleted.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PartnerChange.class)))
    @APIResponse(responseCode = "200", description = "The partner as changed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PartnerView.class)))
    @APIResponse(responseCode = "404", description = "No partner has that id",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "already-exists: the service domain is another partner's; concurrent-change",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public PartnerView changePartner(@PathParam("partnerId") @Parameter(description = "the partner's id",
            schema = @Schema(type = SchemaType.STRING, pattern = PartnerId.PATTERN)) String partnerId, PartnerChange change) {
        return service.change(PartnerId.fromPath(partnerId), change);
    }

    @DELETE
    @Path("/{partnerId}")
    @Operation(summary = "Delete a disabled partner and everything it holds",
            description = "confirm must repeat the partner's id. The answer counts the rows deleted per table. Partner default cannot be deleted.")
    @APIResponse(responseCode = "200", description = "Deleted: rows per table",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PartnerService.Deleted.class)))
    @APIResponse(responseCode = "404", description = "No partner has that id",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "invalid-state: the partner is still active (disable it first), or it is partner default",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public PartnerService.Deleted deletePartner(@PathParam("partnerId") @Parameter(description = "the partner's id",
            schema = @Schema(type = SchemaType.STRING, pattern = PartnerId.PATTERN)) String partnerId,
                                                @Parameter(required = true, description = "the partner's id again, to confirm the deletion")
                                                @QueryParam("confirm") String confirm) {
        return service.delete(PartnerId.fromPath(partnerId), confirm);
    }
}
