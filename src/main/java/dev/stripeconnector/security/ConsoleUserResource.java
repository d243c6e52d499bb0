package dev.stripeconnector.security;

import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import io.quarkus.security.identity.SecurityIdentity;
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

/** The calling partner's console users, for its API keys with the admin role: add one, change a password, disable one. */
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
    private final SecurityIdentity identity;

    public ConsoleUserResource(ConsoleUsers users, SecurityIdentity identity) {
        this.users = users;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The partner's console users (never their passwords)")
    @APIResponse(responseCode = "200", description = "The users", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ConsoleUsers.View[].class)))
    public List<ConsoleUsers.View> listConsoleUsers() {
        return users.list(Callers.partnerOf(identity));
    }

    @PUT
    @Path("/{username}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a console user or change one: a new password, enabled true or false",
            description = "The user is the calling partner's and signs in on the partner's service domain only. A new password or a"
                    + " disable ends every open session of the user at its next request; enabling the user again does not bring those"
                    + " sessions back. Partner default's users sign in on the service's own domain together with the operators, so a"
                    + " name an operator has is refused there (400).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConsoleUsers.Change.class)))
    @APIResponse(responseCode = "200", description = "The user", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ConsoleUsers.View.class)))
    @APIResponse(responseCode = "400", description = "An invalid name or password", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public ConsoleUsers.View putConsoleUser(@PathParam("username") String username, ConsoleUsers.Change change) {
        return users.put(Callers.partnerOf(identity), username, change);
    }
}
