package dev.stripeconnector.events;

import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The events feed of the caller's partner: every API key may read it (events carry no secret) to catch
 * up on what its webhooks missed; replaying an event to subscriptions needs the admin role. Another
 * partner's event answers 404, as an unknown one.
 */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events")
@SecurityRequirement(name = ApiDocument.API_KEY)
@RolesAllowed(Roles.API)
@APIResponse(responseCode = "400", description = "An invalid id, query or body field (each named in errors)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "Missing or wrong API key", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database cannot be reached; retry after Retry-After",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class EventResource {

    private final EventService service;
    private final SecurityIdentity identity;

    public EventResource(EventService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Events in commit order, to catch up: pass the last event id you processed as after",
            description = "The partner's own events only, in the order of its own feed. Events are kept for CONNECTOR_RETENTION_EVENTS"
                    + " (30 days by default). Each event's sequence counts the events of its installation, so a gap shows one was missed.")
    @APIResponse(responseCode = "200", description = "A page of events", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EventService.Page.class)))
    public EventService.Page listEvents(
            @Parameter(description = "an event id (from a delivery, or nextCursor): only events after it") @QueryParam("after") String after,
            @Parameter(description = "only events of this type", schema = @Schema(implementation = EventType.class)) @QueryParam("type") String type,
            @Parameter(description = "only events of this account's installation") @QueryParam("accountId") String accountId,
            @Parameter(description = "1 to 200 (default 50)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
            @QueryParam("limit") String limit) {
        return service.list(Callers.partnerOf(identity), after, type, accountId, limit);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One event, exactly as it was delivered")
    @APIResponse(responseCode = "200", description = "The event", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Event.class)))
    @APIResponse(responseCode = "404", description = "No such event (or older than the retention)",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response getEvent(@PathParam("id") @Parameter(description = "the event's id (a UUID)", schema = @Schema(type = SchemaType.STRING, pattern = EventService.UUID_PATTERN)) String id) {
        EventService.checkId(id);
        String payload = service.get(Callers.partnerOf(identity), UUID.fromString(id)).orElseThrow(() -> new EventsProblems.EventNotFound(id));
        return Response.ok(payload, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @POST
    @Path("/{id}/redeliver")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue an event again for one subscription, or for every subscription that receives its type (admin)",
            description = "A replay of a failed (or delivered) event: sent with its own id and payload, signed anew, as soon as no earlier"
                    + " event of its installation is pending for the subscription. Recorded in the partner's audit trail (event.redeliver).")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventService.Redelivery.class)))
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EventService.Redelivered.class)))
    @APIResponse(responseCode = "403", description = "The API key lacks the admin role (CONNECTOR_ADMIN_KEYS)",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such event (or older than the retention)",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "not-subscribed: no subscription (or not the one named) receives the event's type",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response redeliverEvent(@PathParam("id") @Parameter(description = "the event's id (a UUID)", schema = @Schema(type = SchemaType.STRING, pattern = EventService.UUID_PATTERN)) String id,
                                   EventService.Redelivery body) {
        EventService.checkId(id);
        return Response.accepted(service.redeliver(Callers.partnerOf(identity), UUID.fromString(id), body)).build();
    }
}
