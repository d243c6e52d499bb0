package dev.stripeconnector.events;

import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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

/**
 * Event subscriptions, for API keys with the admin role: a subscription decides where this service
 * sends requests (within {@link ReceiverPolicy}) and holds a signing secret, so managing them is an
 * administrator's job, like console users. A key manages its own partner's subscriptions only: another
 * partner's answers 404, as an unknown one.
 */
@Path("/api/v1/event-subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events")
@SecurityRequirement(name = ApiDocument.API_KEY)
@RolesAllowed(Roles.ADMIN)
@APIResponse(responseCode = "400", description = "An invalid id, query or body field (each named in errors)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "Missing or wrong API key", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "The API key lacks the admin role (CONNECTOR_ADMIN_KEYS)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database cannot be reached; retry after Retry-After",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class SubscriptionResource {

    static final String ID = "the subscription's id (a UUID)";

    private final SubscriptionService service;
    private final TestEvents tests;
    private final PublicOrigins origins;
    private final SecurityIdentity identity;

    public SubscriptionResource(SubscriptionService service, TestEvents tests, PublicOrigins origins, SecurityIdentity identity) {
        this.service = service;
        this.tests = tests;
        this.origins = origins;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The event subscriptions, with how their deliveries stand (never their signing secrets)")
    @APIResponse(responseCode = "200", description = "The subscriptions", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SubscriptionView[].class)))
    public List<SubscriptionView> listEventSubscriptions() {
        return service.list(Callers.partnerOf(identity));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe a receiver to event types; the answer shows its signing secret, once",
            description = "The URL is checked now (https, a public address, no credentials; see CONNECTOR_EVENTS_ALLOWED_HOSTS) and again"
                    + " at every delivery. The subscription receives events written from now on.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubscriptionChange.class)))
    @APIResponse(responseCode = "201", description = "Subscribed; signingSecret is shown this once",
            headers = @Header(name = "Location", description = "The subscription's URL", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "413", description = "The body is larger than 64 KiB", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response createEventSubscription(SubscriptionChange body) {
        PartnerId partner = Callers.partnerOf(identity);
        SubscriptionView created = service.create(partner, body);
        URI location = URI.create(origins.of(partner).url("/api/v1/event-subscriptions/" + created.id()));
        return Response.created(location).entity(created).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One event subscription")
    @APIResponse(responseCode = "200", description = "The subscription", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public SubscriptionView getEventSubscription(@PathParam("id") @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, pattern = EventService.UUID_PATTERN)) String id) {
        EventService.checkId(id);
        return service.view(Callers.partnerOf(identity), UUID.fromString(id)).orElseThrow(() -> new EventsProblems.SubscriptionNotFound(id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a subscription's URL, event types or description (an omitted field keeps its value)",
            description = "Pending deliveries go to the new URL. Events already written are not queued for newly added types.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubscriptionChange.class)))
    @APIResponse(responseCode = "200", description = "The subscription", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Another request changed the subscription at the same moment; retry",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The body is larger than 64 KiB", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public SubscriptionView updateEventSubscription(@PathParam("id") @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, pattern = EventService.UUID_PATTERN)) String id,
                                                    SubscriptionChange body) {
        EventService.checkId(id);
        return service.update(Callers.partnerOf(identity), UUID.fromString(id), body);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a subscription and its pending deliveries (the events stay in the feed)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public void deleteEventSubscription(@PathParam("id") @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, pattern = EventService.UUID_PATTERN)) String id) {
        EventService.checkId(id);
        service.delete(Callers.partnerOf(identity), UUID.fromString(id));
    }

    /** Body of {@code POST …/rotate-secret}. */
    @Schema(name = "EventSecretRotation")
    public record Rotation(@Schema(implementation = String.class, nullable = true, example = "PT24H",
            description = "How long deliveries are also signed with the current secret (ISO-8601, PT0S to P7D; default PT24H)") Duration overlap) {
    }

    @POST
    @Path("/{id}/rotate-secret")
    @Operation(summary = "A new signing secret, shown once; the current one keeps signing (a second v1) during the overlap")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Rotation.class)))
    @APIResponse(responseCode = "200", description = "Rotated; signingSecret is shown this once", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Another request changed the subscription at the same moment; retry",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response rotateEventSubscriptionSecret(@PathParam("id") @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, pattern = EventService.UUID_PATTERN)) String id,
                                                  Rotation body) {
        EventService.checkId(id);
        SubscriptionView rotated = service.rotate(Callers.partnerOf(identity), UUID.fromString(id), body == null ? null : body.overlap());
        return Response.ok(rotated).header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Send the receiver a signed test event now; the answer is what the receiver said",
            description = "Type connector.test, with \"test\": true; signed and sent like every delivery (the URL checked again), whatever the"
                    + " subscription's event types. Not an event of the feed: not listed, not retried, not recorded among the attempts.")
    @APIResponse(responseCode = "200", description = "Sent: the receiver's status (or why there was none) and the time taken",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TestDeliveryView.class)))
    @APIResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public TestDeliveryView sendTestEvent(@PathParam("id") @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, pattern = EventService.UUID_PATTERN)) String id) {
        EventService.checkId(id);
        return TestDeliveryView.of(tests.send(Callers.partnerOf(identity), UUID.fromString(id)));
    }

    @GET
    @Path("/{id}/attempts")
    @Operation(summary = "The subscription's recent delivery attempts, newest first: outcome, status, latency, next retry")
    @APIResponse(responseCode = "200", description = "The attempts", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AttemptView[].class)))
    @APIResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public List<AttemptView> listEventDeliveryAttempts(@PathParam("id") @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, pattern = EventService.UUID_PATTERN)) String id,
                                                       @Parameter(description = "1 to 100 (default 50)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100"))
                                                       @QueryParam("limit") String limit) {
        EventService.checkId(id);
        return service.attempts(Callers.partnerOf(identity), UUID.fromString(id), limit(limit));
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The subscription's deliveries, newest event first; status=failed lists those kept for replay")
    @APIResponse(responseCode = "200", description = "The deliveries", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DeliveryView[].class)))
    @APIResponse(responseCode = "404", description = "No such subscription", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public List<DeliveryView> listEventDeliveries(@PathParam("id") @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, pattern = EventService.UUID_PATTERN)) String id,
                                                  @Parameter(description = "pending, delivered or failed") @QueryParam("status") String status,
                                                  @Parameter(description = "1 to 100 (default 50)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100"))
                                                  @QueryParam("limit") String limit) {
        EventService.checkId(id);
        PartnerId partner = Callers.partnerOf(identity);
        EventDelivery.Status wanted = null;
        if (status != null && !status.isEmpty()) {
            wanted = java.util.Arrays.stream(EventDelivery.Status.values()).filter(s -> s.json().equals(status)).findFirst()
                    .orElseThrow(() -> InvalidInput.of("status", "must be pending, delivered or failed"));
        }
        return service.deliveries(partner, UUID.fromString(id), wanted, limit(limit));
    }

    private static int limit(String limit) {
        Fields fields = new Fields();
        int size = fields.limit("limit", limit, 50, SubscriptionService.MAX_LISTED);
        fields.orThrow();
        return size;
    }
}
