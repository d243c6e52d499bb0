package dev.stripeconnector.security;

import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Console users, for API keys with the admin role: add one, change a password, disable one. */
@Path("/api/v1/console-users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Console users")
@SecurityRequirement(name = ApiDocument.API_KEY)
@RolesAllowed(Roles.ADMIN)
@APIResponse(responseCode = "401", description = "Missing or wrong API key", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "The API key lacks the admin role (CONNECTOR_ADMIN_KEYS)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database cannot be reached; retry after Retry-After",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class ConsoleUserResource {

    private final ConsoleUsers users;

    public ConsoleUserResource(ConsoleUsers users) {
        this.users = users;
    }

    @GET
    @Operation(summary = "The console's users (never their passwords)")
    @APIResponse(responseCode = "200", description = "The users", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ConsoleUsers.View[].class)))
    public List<ConsoleUsers.View> listConsoleUsers() {
        return users.list();
    }

    @PUT
    @Path("/{username}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a console user or change one: a new password, enabled true or false",
            description = "A new password or a disable ends every open session of the user at its next request; enabling the user again"
                    + " does not bring those sessions back.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConsoleUsers.Change.class)))
    @APIResponse(responseCode = "200", description = "The user", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ConsoleUsers.View.class)))
    @APIResponse(responseCode = "400", description = "An invalid name or password", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public ConsoleUsers.View putConsoleUser(@PathParam("username") String username, ConsoleUsers.Change change) {
        return users.put(username, change);
    }
}
