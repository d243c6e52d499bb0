package dev.stripeconnector.audit;

import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Forbidden;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The service-wide audit trail: the operators' own records (partners removed, re-encryption runs), for the keys that
 * hold maintenance (operators', and those named in CONNECTOR_ADMIN_KEYS, which run re-encryption themselves); with
 * {@code partner}, one partner's trail, for an operator's key only.
 */
@Path("/api/v1/maintenance/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Maintenance")
@SecurityRequirements({@SecurityRequirement(name = ApiDocument.OPERATOR_KEY), @SecurityRequirement(name = ApiDocument.API_KEY)})
@RolesAllowed(Roles.MAINTENANCE)
@APIResponse(responseCode = "400", description = "An invalid query field (each named in errors)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "Missing or wrong API key", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Neither an operator key nor a key named in CONNECTOR_ADMIN_KEYS; or partner without an operator key",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database cannot be reached; retry after Retry-After",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class OperatorAuditResource {

    private final AuditRecords records;
    private final SecurityIdentity identity;

    public OperatorAuditResource(AuditRecords records, SecurityIdentity identity) {
        this.records = records;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The operators' audit trail (partners, their keys, re-encryption, forced purges), or one partner's, newest first, a page at a time")
    @APIResponse(responseCode = "200", description = "A page of records; nextCursor is null on the last page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditRecords.Page.class)))
    public AuditRecords.Page listOperatorAuditRecords(
            @Parameter(description = "Operators' keys only: the partner whose records to read (without it, the service-wide ones); a removed"
                    + " partner's went with it")
            @QueryParam("partner") String partner, @BeanParam AuditFilters filters) {
        PartnerId scope = partner == null || partner.isEmpty() ? null
                : PartnerId.parse(partner).orElseThrow(() -> InvalidInput.of("partner", PartnerId.MESSAGE));
        if (scope != null && !Callers.operator(identity)) {
            throw new Forbidden("Only an operator's key reads a partner's audit trail; a partner reads its own at /api/v1/audit");
        }
        return records.page(scope, filters.query());
    }
}
