package dev.stripeconnector.connector;

import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/connector")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Console setup")
@SecurityRequirement(name = ApiDocument.API_KEY)
@RolesAllowed(Roles.API)
@APIResponse(responseCode = "401", description = "Missing or wrong API key", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database cannot be reached (or Stripe is rate-limiting); retry after Retry-After", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class ConnectorResource {

    private final ConnectorService service;
    private final SecurityIdentity caller;

    public ConnectorResource(ConnectorService service, SecurityIdentity caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's partner's console setup, with the redirect URI and webhook endpoint to register at Stripe")
    @APIResponse(responseCode = "200", description = "The console setup; the secret key is shown masked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConnectorSettingsView.class)))
    public ConnectorSettingsView getConsoleSetup() {
        return service.view(Callers.partnerOf(caller));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set console values: an omitted field keeps its value, null clears it",
            description = "A new secret key is checked against Stripe before it is saved. A change that would strand connected"
                    + " installations (no client ID or key left, another platform or mode) is refused with 409 settings-in-use.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConnectorSettingsUpdate.class)))
    @APIResponse(responseCode = "200", description = "The console setup after the change",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConnectorSettingsView.class)))
    @APIResponse(responseCode = "400", description = "An invalid field (each named in errors), a key Stripe rejects, or a body that is not a JSON object",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "settings-in-use: connected installations depend on the current value, or the console's client ID"
            + " and secret key would be of two platforms, as Stripe has shown them (detail: which, and what to fix)",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The body is larger than 64 KiB", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "Stripe could not check the new key; nothing was saved",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public ConnectorSettingsView updateConsoleSetup(ConnectorSettingsUpdate update) {
        return service.update(Callers.partnerOf(caller), update);
    }
}
