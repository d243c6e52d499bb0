package dev.stripeconnector.console;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.common.ProblemMapper;
import dev.stripeconnector.events.AttemptView;
import dev.stripeconnector.events.EventService;
import dev.stripeconnector.events.EventType;
import dev.stripeconnector.events.SubscriptionChange;
import dev.stripeconnector.events.SubscriptionService;
import dev.stripeconnector.events.SubscriptionView;
import dev.stripeconnector.events.TestEvents;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.ConsolePrincipal;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The console's event subscriptions: the receivers with how their deliveries stand, subscribing a
 * receiver (its signing secret shown on the answer to that post, once), rotating a secret (the new
 * one shown once, the old one signing along for the chosen overlap) and deleting a subscription
 * after confirmation. Same services as {@code /api/v1/event-subscriptions}, same checks of the URL.
 */
@Path("/console/events")
@RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
@Produces(MediaType.TEXT_HTML)
public class ConsoleEventsResource {

    private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED;
    /** The overlaps the rotate form offers, as (ISO-8601 value, label); the first is the default. */
    private static final Map<String, String> OVERLAPS = overlaps();

    /** The most recent delivery attempts the page shows per subscription. */
    private static final int RECENT_ATTEMPTS = 5;

    private final SubscriptionService subscriptions;
    private final TestEvents tests;
    private final ConsolePages pages;
    private final ConsoleCsrf csrf;
    private final SecurityIdentity identity;

    public ConsoleEventsResource(SubscriptionService subscriptions, TestEvents tests, ConsolePages pages, ConsoleCsrf csrf,
                                 SecurityIdentity identity) {
        this.subscriptions = subscriptions;
        this.tests = tests;
        this.pages = pages;
        this.csrf = csrf;
        this.identity = identity;
    }

    private static Map<String, String> overlaps() {
        Map<String, String> choices = new LinkedHashMap<>();
        choices.put("PT24H", "24 hours");
        choices.put("PT1H", "1 hour");
        choices.put("P7D", "7 days");
        choices.put("PT0S", "not at all");
        return choices;
    }

    @GET
    public Response list(@QueryParam("deleted") String deleted) {
        Map<String, Object> data = new HashMap<>();
        if (deleted != null && EventService.isUuid(deleted)) {
            data.put("flash", "The subscription was deleted, with its pending deliveries. Its events stay in the events feed.");
        }
        return page(200, data, Map.of(), List.of());
    }

    @POST
    @Consumes(FORM)
    public Response subscribe(@FormParam(ConsoleCsrf.FIELD) String token, @FormParam("url") String url,
                              @FormParam("eventTypes") List<String> eventTypes, @FormParam("stripeEventTypes") String stripeEventTypes,
                              @FormParam("description") String description) {
        if (!csrf.valid(user(), token)) {
            return expiredForm();
        }
        List<String> types = eventTypes == null ? List.of() : eventTypes;
        Map<String, Object> kept = new HashMap<>();
        kept.put("newUrl", url == null ? "" : url.strip());
        kept.put("newDescription", description == null ? "" : description);
        kept.put("newStripeEventTypes", stripeEventTypes == null ? "" : stripeEventTypes.strip());
        SubscriptionChange change = new SubscriptionChange();
        // Stripe's event types as one line of patterns, separated by commas or spaces.
        List<String> patterns = stripeEventTypes == null ? List.of()
                : java.util.Arrays.stream(stripeEventTypes.split("[,\\s]+")).filter(p -> !p.isEmpty()).toList();
        change.stripeEventTypes = patterns.isEmpty() ? null : Optional.of(patterns);
        change.url = Optional.ofNullable(blankToNull(url));
        change.eventTypes = types.isEmpty() ? Optional.empty() : Optional.of(types);
        change.description = Optional.ofNullable(blankToNull(description));
        SubscriptionView created;
        try {
            created = subscriptions.create(Callers.partnerOf(identity), change);
        } catch (InvalidInput invalid) {
            Map<String, String> errors = new LinkedHashMap<>();
            invalid.errors().forEach(e -> errors.putIfAbsent(e.field(), Fields.sentence(e.field(), e.message())));
            if (types.isEmpty()) {
                errors.put("eventTypes", "Choose at least one event type, or all types.");
            }
            kept.put("problem", "Nothing was saved: correct the fields marked below.");
            return page(400, kept, errors, types);
        } catch (DomainException refused) {
            kept.put("problem", refused.getMessage() + ". Nothing was saved.");
            return page(statusOf(refused), kept, Map.of(), types);
        }
        // Like a connection link, the secret is shown on the answer to its post, once: no redirect to a page that has it.
        return page(200, shownOnce(created, "The receiver is subscribed."), Map.of(), List.of());
    }

    @POST
    @Path("/{id}/rotate")
    @Consumes(FORM)
    public Response rotate(@PathParam("id") String id, @FormParam(ConsoleCsrf.FIELD) String token, @FormParam("overlap") String overlap) {
        if (!csrf.valid(user(), token)) {
            return expiredForm();
        }
        if (!EventService.isUuid(id)) {
            return notFound();
        }
        if (overlap != null && !OVERLAPS.containsKey(overlap)) {
            return page(400, new HashMap<>(Map.of("problem", "Choose one of the listed overlaps. Nothing was changed.")), Map.of(), List.of());
        }
        SubscriptionView rotated;
        try {
            rotated = subscriptions.rotate(Callers.partnerOf(identity), UUID.fromString(id), overlap == null ? null : Duration.parse(overlap));
        } catch (DomainException refused) {
            return statusOf(refused) == 404 ? notFound()
                    : page(statusOf(refused), new HashMap<>(Map.of("problem", refused.getMessage() + ". Nothing was changed.")), Map.of(),
                    List.of());
        }
        String flash = rotated.previousSecretExpiresAt() == null ? "The signing secret was replaced; the old one no longer signs."
                : "The signing secret was rotated; deliveries are signed with the old one too until "
                + ConsolePages.when(rotated.previousSecretExpiresAt()) + ".";
        return page(200, shownOnce(rotated, flash), Map.of(), List.of());
    }

    /**
     * Sends the receiver a signed test event now and answers the page with what the receiver said (not a redirect: the
     * answer is not stored, as the test event is not an event of the feed).
     */
    @POST
    @Path("/{id}/test")
    @Consumes(FORM)
    public Response sendTest(@PathParam("id") String id, @FormParam(ConsoleCsrf.FIELD) String token) {
        if (!csrf.valid(user(), token)) {
            return expiredForm();
        }
        if (!EventService.isUuid(id)) {
            return notFound();
        }
        TestEvents.Sent sent;
        try {
            sent = tests.send(Callers.partnerOf(identity), UUID.fromString(id));
        } catch (DomainException refused) {
            return statusOf(refused) == 404 ? notFound()
                    : page(statusOf(refused), new HashMap<>(Map.of("problem", refused.getMessage())), Map.of(), List.of());
        }
        String answer = sent.outcome().status() != null ? "HTTP " + sent.outcome().status() : sent.outcome().error();
        String said = "The test event " + sent.eventId() + " was sent at " + ConsolePages.when(sent.sentAt()) + "; the receiver ";
        Map<String, Object> data = new HashMap<>();
        if (sent.delivered()) {
            data.put("flash", said + "answered " + answer + " in " + sent.outcome().durationMillis() + " ms.");
        } else {
            data.put("problem", said + "did not take it: " + (sent.outcome().status() != null ? sent.outcome().error() : answer)
                    + " (" + sent.outcome().durationMillis() + " ms). Test events are not retried.");
        }
        return page(200, data, Map.of(), List.of());
    }

    @GET
    @Path("/{id}/delete")
    public Response confirmDelete(@PathParam("id") String id) {
        Optional<SubscriptionView> subscription = EventService.isUuid(id)
                ? subscriptions.view(Callers.partnerOf(identity), UUID.fromString(id)) : Optional.empty();
        if (subscription.isEmpty()) {
            return notFound();
        }
        Map<String, Object> data = new HashMap<>();
        data.put("id", id);
        data.put("url", subscription.get().url());
        data.put("pending", subscription.get().deliveries().pending());
        return pages.render(200, "event-subscription-delete", user(), data);
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(FORM)
    public Response delete(@PathParam("id") String id, @FormParam(ConsoleCsrf.FIELD) String token) {
        if (!csrf.valid(user(), token)) {
            return expiredForm();
        }
        if (!EventService.isUuid(id)) {
            return notFound();
        }
        try {
            subscriptions.delete(Callers.partnerOf(identity), UUID.fromString(id));
        } catch (DomainException refused) {
            return statusOf(refused) == 404 ? notFound()
                    : page(statusOf(refused), new HashMap<>(Map.of("problem", refused.getMessage())), Map.of(), List.of());
        }
        return pages.seeOther("/console/events?deleted=" + id);
    }

    // ---- the page ----

    /** The page's data when a secret is to be shown, this once. */
    private static Map<String, Object> shownOnce(SubscriptionView subscription, String flash) {
        Map<String, Object> data = new HashMap<>();
        data.put("flash", flash);
        data.put("newSecret", subscription.signingSecret());
        data.put("newSecretFor", subscription.url());
        return data;
    }

    /**
     * The subscriptions page: {@code data} holds what the answer adds (a flash, a problem, a secret shown once, the
     * values a refused form had), {@code errors} the messages next to their fields, {@code checked} the event types the
     * form had ticked.
     */
    private Response page(int status, Map<String, Object> data, Map<String, String> errors, List<String> checked) {
        Map<String, Object> all = new HashMap<>();
        all.put("newUrl", "");
        all.put("newDescription", "");
        all.put("newStripeEventTypes", "");
        Map<UUID, AttemptView> latest = subscriptions.latestAttempts(Callers.partnerOf(identity));
        all.put("items", subscriptions.list(Callers.partnerOf(identity)).stream()
                .map(s -> row(s, latest.get(s.id()), subscriptions.attempts(Callers.partnerOf(identity), s.id(), RECENT_ATTEMPTS))).toList());
        Set<String> ticked = Set.copyOf(checked);
        all.put("allTypes", ticked.contains(EventType.ALL));
        all.put("types", EventType.names().stream().map(name -> Map.of("name", name, "id", "type-" + name.replace('.', '-').replace('_', '-'),
                "checked", ticked.contains(name))).toList());
        all.put("overlaps", OVERLAPS.entrySet().stream().map(e -> Map.of("value", e.getKey(), "label", e.getValue())).toList());
        all.putAll(data);
        errors.forEach((field, message) -> all.put(field + "Error", message));
        return pages.render(status, "event-subscriptions", user(), all);
    }

    private static Map<String, Object> row(SubscriptionView subscription, AttemptView last, List<AttemptView> recent) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", subscription.id().toString());
        row.put("url", subscription.url());
        row.put("description", subscription.description() == null ? "" : subscription.description());
        row.put("types", subscription.eventTypes().equals(List.of(EventType.ALL)) ? "all types" : String.join(", ", subscription.eventTypes()));
        row.put("stripeTypes", subscription.stripeEventTypes().isEmpty() ? "" : "Stripe: " + String.join(", ", subscription.stripeEventTypes()));
        row.put("pending", subscription.deliveries().pending());
        row.put("delivered", subscription.deliveries().delivered());
        row.put("failed", subscription.deliveries().failed());
        row.put("secretLast4", subscription.secretLast4());
        row.put("previousUntil", subscription.previousSecretExpiresAt() == null ? "" : ConsolePages.when(subscription.previousSecretExpiresAt()));
        row.put("lastOutcome", last == null ? "" : last.outcome().json());
        row.put("lastAt", last == null ? "" : ConsolePages.when(last.attemptedAt()));
        row.put("lastDetail", last == null ? "" : detail(last));
        row.put("recent", recent.stream().map(a -> Map.of("at", ConsolePages.when(a.attemptedAt()), "type", a.eventType(),
                "outcome", a.outcome().json(), "status", a.httpStatus() == null ? "—" : String.valueOf(a.httpStatus()),
                "error", a.error() == null ? "—" : a.error(), "ms", a.durationMs())).toList());
        return row;
    }

    /** What the last attempt came to, in a few words: the receiver's status or why there was none, and how long it took. */
    private static String detail(AttemptView attempt) {
        String answer = attempt.httpStatus() != null ? "HTTP " + attempt.httpStatus() : attempt.error() == null ? "" : attempt.error();
        String next = attempt.nextAttemptAt() == null ? "" : "; next attempt " + ConsolePages.when(attempt.nextAttemptAt());
        return attempt.eventType() + " · " + answer + " · " + attempt.durationMs() + " ms" + next;
    }

    private Response notFound() {
        return page(404, new HashMap<>(Map.of("problem", "No such event subscription (it may have been deleted).")), Map.of(), List.of());
    }

    /** A form whose token does not match: an old page from before a key change, or a forged post. */
    private Response expiredForm() {
        return page(403, new HashMap<>(Map.of("problem",
                "This form has expired or did not come from the console: nothing was changed. Please try again.")), Map.of(), List.of());
    }

    private String user() {
        return ConsolePrincipal.username(identity);
    }

    private static int statusOf(DomainException refused) {
        return ProblemMapper.kind(refused.failure()).status();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
