package dev.stripeconnector.connector;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/connector")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Console setup")
public class ConnectorResource {

    private final ConnectorService service;

    public ConnectorResource(ConnectorService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "The console setup, with the redirect URI to register at Stripe")
    public ConnectorSettingsView get() {
        return service.view();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set console values: an omitted field keeps its value, null clears it")
    public ConnectorSettingsView put(ConnectorSettingsUpdate update) {
        return service.update(update);
    }
}
