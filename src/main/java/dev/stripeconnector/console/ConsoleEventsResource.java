package dev.stripeconnector.console;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.common.ProblemMapper;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.crypto.FlashCookies;
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
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
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
 * receiver (its signing secret shown on the page the post redirects to), rotating a secret (the new
 * one shown the same way, the old one signing along for the chosen overlap), sending a test event
 * and deleting a subscription after confirmation. Same services as {@code /api/v1/event-subscriptions},
 * same checks of the URL. Every form posts, then 303s to this page ({@link ConsoleForms}).
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
    private static final String PAGE = "/console/events";
    /** A refused form's problems and typed values, as its redirect carries them to the page. */
    static final String EVENTS_FORM = "console-events-form";
    /**
     * What a form that succeeded shows on the page its redirect leads to ({@code ?done=…}): its message, and a signing secret
     * just made (a bearer secret: sealed, for the user who made it, for a few minutes, never in a URL).
     */
    static final String EVENTS_RESULT = "console-events-result";
    private static final String CHECKED = "checked";

    private final SubscriptionService subscriptions;
    private final TestEvents tests;
    private final ConsolePages pages;
    private final ConsoleCsrf csrf;
    private final SecurityIdentity identity;
    private final ConsoleForms forms;
    private final FlashCookies flashes;
    private final PublicOrigins origins;

    public ConsoleEventsResource(SubscriptionService subscriptions, TestEvents tests, ConsolePages pages, ConsoleCsrf csrf,
                                 SecurityIdentity identity, ConsoleForms forms, FlashCookies flashes, PublicOrigins origins) {
        this.forms = forms;
        this.flashes = flashes;
        this.origins = origins;
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
    public Response list(@QueryParam("deleted") String deleted, @QueryParam("done") String done, @CookieParam(EVENTS_FORM) String form,
                         @CookieParam(EVENTS_RESULT) String result) {
        ConsoleForms.Refused refused = forms.refused(form);
        Map<String, Object> data = new HashMap<>(refused.kept());
        data.remove(CHECKED);
        data.put("problem", refused.problem());
        if (refused.problem() == null && deleted != null && EventService.isUuid(deleted)) {
            data.put("flash", "The subscription was deleted, with its pending deliveries. Its events stay in the events feed.");
        }
        // Only on the page a form's redirect led to, and only for the user of the partner whose form it was.
        Map<String, String> shown = flashes.open(result);
        if (refused.problem() == null && done != null && holder().equals(shown.get("holder"))) {
            showResult(data, shown);
        }
        String checked = String.valueOf(refused.kept().getOrDefault(CHECKED, ""));
        return page(200, data, refused.errors(), checked.isEmpty() ? List.of() : List.of(checked.split(",")));
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
            kept.put(CHECKED, String.join(",", types));
            return again(errors, "Nothing was saved: correct the fields marked below.", kept);
        } catch (DomainException refused) {
            kept.put(CHECKED, String.join(",", types));
            return again(Map.of(), refused.getMessage() + ". Nothing was saved.", kept);
        }
        return shown("subscribed", created, "The receiver is subscribed.");
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
            return again(Map.of(), "Choose one of the listed overlaps. Nothing was changed.", Map.of());
        }
        SubscriptionView rotated;
        try {
            rotated = subscriptions.rotate(Callers.partnerOf(identity), UUID.fromString(id), overlap == null ? null : Duration.parse(overlap));
        } catch (DomainException refused) {
            return statusOf(refused) == 404 ? notFound() : again(Map.of(), refused.getMessage() + ". Nothing was changed.", Map.of());
        }
        String flash = rotated.previousSecretExpiresAt() == null ? "The signing secret was replaced; the old one no longer signs."
                : "The signing secret was rotated; deliveries are signed with the old one too until "
                + ConsolePages.when(rotated.previousSecretExpiresAt()) + ".";
        return shown("rotated", rotated, flash);
    }

    /**
     * Sends the receiver a signed test event now; the page the post redirects to says what the receiver answered (carried
     * there in the result cookie: a test event is not an event of the feed, and what it came to is not stored).
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
            return statusOf(refused) == 404 ? notFound() : again(Map.of(), refused.getMessage(), Map.of());
        }
        String answer = sent.outcome().status() != null ? "HTTP " + sent.outcome().status() : sent.outcome().error();
        String said = "The test event " + sent.eventId() + " was sent at " + ConsolePages.when(sent.sentAt()) + "; the receiver ";
        Map<String, String> result = new HashMap<>();
        if (sent.delivered()) {
            result.put("flash", said + "answered " + answer + " in " + sent.outcome().durationMillis() + " ms.");
        } else {
            result.put("problem", said + "did not take it: " + (sent.outcome().status() != null ? sent.outcome().error() : answer)
                    + " (" + sent.outcome().durationMillis() + " ms). Test events are not retried.");
        }
        return result("tested", result);
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
            return statusOf(refused) == 404 ? notFound() : again(Map.of(), refused.getMessage(), Map.of());
        }
        return forms.done(EVENTS_FORM, PAGE, secure(), PAGE + "?deleted=" + id);
    }

    // ---- the answers ----

    /** A refused form: 303 back to the page, which shows the problems and the values typed (a URL, a description: never a secret). */
    private Response again(Map<String, String> errors, String problem, Map<String, ?> kept) {
        return forms.again(EVENTS_FORM, PAGE, secure(), errors, problem, kept);
    }

    /**
     * A form that made a signing secret: 303 to the page, which shows the secret for a few minutes to the user who made it
     * (a reload or a Back shows it again; a later visit to the page does not), then never again.
     */
    private Response shown(String done, SubscriptionView subscription, String flash) {
        // The subscription's id, not its URL: a URL may be up to 2048 characters, and the cookie has to stay small.
        return result(done, Map.of("flash", flash, "secret", subscription.signingSecret(), "for", subscription.id().toString()));
    }

    private Response result(String done, Map<String, String> values) {
        Map<String, String> sealed = new HashMap<>(values);
        sealed.put("holder", holder());
        NewCookie cookie = flashes.seal(EVENTS_RESULT, PAGE, secure(), sealed, ConsoleForms.LIFETIME);
        if (FlashCookies.fits(cookie)) {
            return forms.done(EVENTS_FORM, PAGE, secure(), PAGE + "?done=" + done, cookie);
        }
        // Too long for a cookie the browser keeps: shown in this answer instead, so that a new secret is never lost.
        Map<String, Object> data = new HashMap<>();
        showResult(data, values);
        Response page = page(200, data, Map.of(), List.of());
        return Response.fromResponse(page).cookie(flashes.clear(EVENTS_FORM, PAGE, secure())).build();
    }

    /** Puts what a form that succeeded carried into the page's {@code data}; the subscription a secret is for by its URL now. */
    private void showResult(Map<String, Object> data, Map<String, String> result) {
        data.put("flash", result.get("flash"));
        data.put("problem", result.get("problem"));
        data.put("newSecret", result.get("secret"));
        String id = result.get("for");
        if (id != null) {
            data.put("newSecretFor", EventService.isUuid(id) ? subscriptions.view(Callers.partnerOf(identity), UUID.fromString(id))
                    .map(SubscriptionView::url).orElse("a subscription deleted since") : id);
        }
    }

    /** Whom a result is shown to: the signed-in user, in the partner's console it was made in. */
    private String holder() {
        return Callers.partnerOf(identity).value() + "/" + identity.getPrincipal().getName();
    }

    /** Whether the console's cookies must be {@code Secure}: its origin is https. */
    private boolean secure() {
        return origins.of(Callers.partnerOf(identity)).secure();
    }

    // ---- the page ----

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
