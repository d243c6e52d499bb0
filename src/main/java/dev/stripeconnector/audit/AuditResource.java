package dev.stripeconnector.audit;

import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit trail of the caller's partner, for its keys with the admin role (the service-wide records are at /api/v1/maintenance/audit). */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit trail")
@SecurityRequirement(name = ApiDocument.API_KEY)
@RolesAllowed(Roles.ADMIN)
@APIResponse(responseCode = "400", description = "An invalid query field (each named in errors)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "Missing or wrong API key", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "The API key lacks the admin role (CONNECTOR_ADMIN_KEYS)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database cannot be reached; retry after Retry-After",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class AuditResource {

    private final AuditRecords records;
    private final SecurityIdentity identity;

    public AuditResource(AuditRecords records, SecurityIdentity identity) {
        this.records = records;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Who changed what, when and from where: the partner's audit trail, newest first, a page at a time")
    @APIResponse(responseCode = "200", description = "A page of records; nextCursor is null on the last page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditRecords.Page.class)))
    public AuditRecords.Page listAuditRecords(@BeanParam AuditFilters filters) {
        return records.page(Callers.partnerOf(identity), filters.query());
    }
}
