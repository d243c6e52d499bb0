package dev.stripeconnector.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.MalformedRequest;
import dev.stripeconnector.stripe.StripeKeys;
import java.io.IOException;
import java.time.Instant;

/**
 * The parts of a verified Stripe event the connector acts on, each checked against what it may
 * be and where it is stored: a signed event with values out of range is refused, not stored.
 *
 * @param account     the connected account the event is about ({@code account}), when there is one
 * @param application for {@code account.application.*} events, the client ID of the application
 *                    ({@code data.object.id})
 * @param created     when Stripe created the event
 */
record StripeEvent(String id, String type, String account, String application, Instant created) {

    static final int MAX_ID = 255;
    static final int MAX_TYPE = 128;
    /** The year 3000: later "created" times are nonsense. */
    static final long MAX_CREATED = 32_503_680_000L;

    static StripeEvent parse(ObjectMapper json, byte[] raw) {
        JsonNode event;
        try {
            event = json.readTree(raw);
        } catch (IOException e) {
            throw new MalformedRequest("The event is not valid JSON");
        }
        if (event == null || !event.path("id").isTextual() || !event.path("type").isTextual()) {
            throw new MalformedRequest("The event has no id or type");
        }
        String id = event.get("id").asText();
        String type = event.get("type").asText();
        String account = event.path("account").isTextual() ? event.path("account").asText() : null;
        JsonNode object = event.path("data").path("object");
        String application = object.path("id").isTextual() ? object.path("id").asText() : null;
        if (id.isEmpty() || id.length() > MAX_ID || Fields.hasControlCharacter(id)) {
            throw new MalformedRequest("The event's id is not a Stripe event id");
        }
        if (type.isEmpty() || type.length() > MAX_TYPE || Fields.hasControlCharacter(type)) {
            throw new MalformedRequest("The event's type is not a Stripe event type");
        }
        if (account != null && !StripeKeys.ACCOUNT_ID.matcher(account).matches()) {
            throw new MalformedRequest("The event's account is not a Stripe account id (acct_…)");
        }
        Instant created = null;
        if (event.path("created").canConvertToLong()) {
            long seconds = event.path("created").asLong();
            if (seconds < 0 || seconds > MAX_CREATED) {
                throw new MalformedRequest("The event's created time is not a plausible Unix time");
            }
            created = Instant.ofEpochSecond(seconds);
        }
        return new StripeEvent(id, type, account, application, created);
    }

    /** The application's client ID, when this event names one that can be a client ID. */
    String applicationClientId() {
        return application != null && StripeKeys.isClientId(application) ? application : null;
    }
}
