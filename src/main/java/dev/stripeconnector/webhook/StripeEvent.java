package dev.stripeconnector.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.MalformedRequest;
import dev.stripeconnector.stripe.StripeKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The parts of a verified Stripe event the connector acts on, each checked against what it may
 * be and where it is stored: a signed event with values out of range is refused, not stored.
 *
 * @param account     the connected account the event is about ({@code account}), when there is one
 * @param application for {@code account.application.*} events, the client ID of the application
 *                    ({@code data.object.id})
 * @param created     when Stripe created the event
 * @param livemode    whether it is a live-mode event, when the event says
 * @param object      the event's {@code data.object}, read (null when there is none), for the facts of an account (which has
 *                    no secret); never kept
 * @param rawObject   the same {@code data.object} as the exact text Stripe sent, but for the values of its secrets
 *                    ({@link StripeObjectSecrets}): what is kept and forwarded
 */
record StripeEvent(String id, String type, String account, String application, Instant created, Boolean livemode, JsonNode object,
                   String rawObject) {

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
        Boolean livemode = event.path("livemode").isBoolean() ? event.path("livemode").asBoolean() : null;
        if (!object.isObject()) {
            return new StripeEvent(id, type, account, application, created, livemode, null, null);
        }
        // Its secrets go no further than this: what is kept, forwarded and read below has none.
        String kept = StripeObjectSecrets.redacted(json, rawObject(json, raw));
        return new StripeEvent(id, type, account, application, created, livemode, object, kept);
    }

    /**
     * The text of {@code data.object} as it is in {@code raw}: read again as tokens, and cut from the byte where
     * the object starts to the byte after it ends, so its fields, numbers and escapes reach subscribers unchanged.
     * Called for an event already read whole (it is valid JSON with an object there).
     */
    private static String rawObject(ObjectMapper json, byte[] raw) {
        try (JsonParser parser = json.getFactory().createParser(raw)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("data") && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = parser.currentName();
                        JsonToken innerValue = parser.nextToken();
                        if (inner.equals("object") && innerValue == JsonToken.START_OBJECT) {
                            int start = (int) parser.currentTokenLocation().getByteOffset();
                            parser.skipChildren();
                            int end = (int) parser.currentLocation().getByteOffset();
                            if (start < 0 || end < start) {
                                // Read as characters (UTF-16 or UTF-32, which Jackson detects): no bytes to cut. Stripe sends UTF-8.
                                throw new MalformedRequest("The event is not JSON in UTF-8");
                            }
                            return new String(raw, start, end - start, StandardCharsets.UTF_8);
                        }
                        parser.skipChildren();
                    }
                    return null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new MalformedRequest("The event is not valid JSON");
        }
    }

    /** Its id, type and account only: {@code object} still holds what Stripe sent, secrets included. */
    @Override
    public String toString() {
        return "StripeEvent[" + id + ", " + type + ", " + account + "]";
    }

    /** The application's client ID, when this event names one that can be a client ID. */
    String applicationClientId() {
        return application != null && StripeKeys.isClientId(application) ? application : null;
    }
}
