package dev.stripeconnector.maintenance;

import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Service-wide day-2 operations, the operators': retiring an encryption key, purging old rows now. The
 * keys named in CONNECTOR_ADMIN_KEYS (partner default's) keep them, as before operators existed; a key
 * issued to a partner never reaches them.
 */
@Path("/api/v1/maintenance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Maintenance")
@SecurityRequirements({@SecurityRequirement(name = ApiDocument.OPERATOR_KEY), @SecurityRequirement(name = ApiDocument.API_KEY)})
@RolesAllowed(Roles.MAINTENANCE)
@APIResponse(responseCode = "401", description = "Missing or wrong API key", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Neither an operator key (CONNECTOR_OPERATOR_KEYS) nor a key named in CONNECTOR_ADMIN_KEYS",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database cannot be reached; retry after Retry-After",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class MaintenanceResource {

    private final ReEncryption reEncryption;
    private final RetentionPurge retention;
    private final PublicOrigins origins;

    public MaintenanceResource(ReEncryption reEncryption, RetentionPurge retention, PublicOrigins origins) {
        this.reEncryption = reEncryption;
        this.retention = retention;
        this.origins = origins;
    }

    @GET
    @Path("/encryption")
    @Operation(summary = "How many stored secrets each encryption key id protects",
            description = "A key id may leave CONNECTOR_ENCRYPTION_KEYS once it protects no value; `remaining` counts the values not under the primary key.")
    @APIResponse(responseCode = "200", description = "Values per key id, and this replica's last re-encryption run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReEncryption.Status.class)))
    public ReEncryption.Status encryptionStatus() {
        return reEncryption.status();
    }

    @POST
    @Path("/re-encrypt")
    @Operation(summary = "Re-encrypt every stored secret under the primary key, in the background",
            description = "Run it only once every replica runs with the new primary key. Safe to repeat and to run on several replicas;"
                    + " follow its progress at GET /api/v1/maintenance/encryption.")
    @APIResponse(responseCode = "202", description = "Started (or already running on this replica)",
            headers = @Header(name = "Location", description = "Where to follow its progress", schema = @Schema(implementation = String.class)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReEncryption.Status.class)))
    public Response reEncrypt() {
        return Response.accepted(reEncryption.start()).location(URI.create(origins.primary().url("/api/v1/maintenance/encryption"))).build();
    }

    /** The outcome of a purge: rows deleted per table, or that another replica is purging now. */
    public record PurgeResult(boolean ran, Map<String, Long> deleted) {
    }

    @POST
    @Path("/purge")
    @Operation(summary = "Delete the rows past their retention now, instead of at the next scheduled round",
            description = "Each batch that deletes rows is recorded in the operators' audit trail (retention.purge, GET /api/v1/maintenance/audit).")
    @APIResponse(responseCode = "200", description = "Rows deleted per table; ran=false when another replica is purging right now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PurgeResult.class)))
    public PurgeResult purge() {
        return retention.purgeNow().map(deleted -> new PurgeResult(true, deleted)).orElseGet(() -> new PurgeResult(false, Map.of()));
    }
}
