package dev.stripeconnector.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.common.MalformedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets a Stripe object can carry, named in one place, and the object's text with each of them
 * replaced by {@value #REDACTED}: what the connector keeps of a Stripe event and forwards as {@code stripe.event}.
 * A client secret lets whoever holds it confirm a payment or read a customer's saved payment methods in a
 * browser; an ephemeral key's or a connection token's secret is an API key of its own. The partner's services
 * need none of them from an event (the one that created the object has its secret, and any of them can read
 * the object through the proxy), so none is stored, delivered or listed in the feed.
 *
 * <p>Only the secrets' values change: every other byte of the object stays as Stripe sent it (an object
 * without secrets is Stripe's very text). V25's migration scrubs events kept before, with the same names.
 */
final class StripeObjectSecrets {

    /** What stands in place of a secret (a string, so a typed reader of the object still reads a string). */
    static final String REDACTED = "redacted";
    private static final String REDACTED_JSON = "\"" + REDACTED + "\"";

    /**
     * Fields whose string value is a secret in every Stripe object that has them, at any depth (an expanded
     * object inside another, a charge's {@code source}): {@code client_secret} of PaymentIntents, SetupIntents,
     * Checkout Sessions, CustomerSessions, AccountSessions, Financial Connections Sessions, Identity
     * VerificationSessions and Sources; {@code secret} of EphemeralKeys, Terminal ConnectionTokens and
     * WebhookEndpoints.
     */
    static final Set<String> FIELDS = Set.of("client_secret", "secret");

    /**
     * Fields that are a secret only in objects of one type (their {@code object}), a plain value elsewhere: a
     * customer portal session's {@code url} signs its customer in.
     */
    static final Map<String, Set<String>> FIELDS_OF = Map.of("billing_portal.session", Set.of("url"));

    /**
     * A URL's query parameter that carries a client secret ({@code client_secret}, {@code payment_intent_client_secret},
     * {@code setup_intent_client_secret}…), as in a Source's {@code redirect.url} or an intent's
     * {@code next_action.redirect_to_url.url}: its value is redacted in any string.
     */
    static final Pattern SECRET_PARAMETER = Pattern.compile("([?&][A-Za-z_]*client_secret=)[^&#\\s]*");

    private StripeObjectSecrets() {
    }

    /** {@code object} (a JSON object's text) with each secret's value replaced, or {@code object} itself when it has none. */
    static String redacted(ObjectMapper json, String object) {
        if (object == null) {
            return null;
        }
        byte[] text = object.getBytes(StandardCharsets.UTF_8);
        List<Edit> edits = edits(json, text);
        if (edits.isEmpty()) {
            return object;
        }
        edits.sort(Comparator.comparingInt(Edit::start));
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
        int at = 0;
        for (Edit edit : edits) {
            out.write(text, at, edit.start() - at);
            out.writeBytes(edit.replacement().getBytes(StandardCharsets.UTF_8));
            at = edit.end();
        }
        out.write(text, at, text.length - at);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One string value to replace: its bytes from the opening quote to after the closing one, and the JSON text in their place. */
    private record Edit(int start, int end, String replacement) {
    }

    /** An object being read: its type, once its {@code object} field was read, and its values that are secrets in some types. */
    private static final class Scope {
        final boolean isObject;
        String type;
        final List<Pending> pending = new ArrayList<>();

        Scope(boolean isObject) {
            this.isObject = isObject;
        }
    }

    /** A value whose edit depends on its object's type: {@code ifSecret} when it is a secret there, else {@code otherwise} (or none). */
    private record Pending(String field, Edit ifSecret, Edit otherwise) {
    }

    private static List<Edit> edits(ObjectMapper json, byte[] text) {
        List<Edit> edits = new ArrayList<>();
        Deque<Scope> scopes = new ArrayDeque<>();
        try (JsonParser parser = json.getFactory().createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT -> scopes.push(new Scope(true));
                    case START_ARRAY -> scopes.push(new Scope(false));
                    case END_ARRAY -> scopes.pop();
                    case END_OBJECT -> {
                        Scope scope = scopes.pop();
                        Set<String> secretHere = scope.type == null ? Set.of() : FIELDS_OF.getOrDefault(scope.type, Set.of());
                        for (Pending value : scope.pending) {
                            Edit edit = secretHere.contains(value.field()) ? value.ifSecret() : value.otherwise();
                            if (edit != null) {
                                edits.add(edit);
                            }
                        }
                    }
                    case VALUE_STRING -> {
                        Scope scope = scopes.peek();
                        String field = scope != null && scope.isObject ? parser.currentName() : null;
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        String value = parser.getText();
                        int end = (int) parser.currentLocation().getByteOffset();
                        Edit redacted = new Edit(start, end, REDACTED_JSON);
                        Matcher parameter = SECRET_PARAMETER.matcher(value);
                        Edit withoutParameter = parameter.find()
                                ? new Edit(start, end, json.writeValueAsString(parameter.replaceAll("$1" + REDACTED))) : null;
                        if ("object".equals(field)) {
                            scope.type = value;
                        }
                        if (field != null && FIELDS.contains(field)) {
                            edits.add(redacted);
                        } else if (field != null && isSecretInSomeType(field)) {
                            // Which it is depends on the object's type, which may come after it.
                            scope.pending.add(new Pending(field, redacted, withoutParameter));
                        } else if (withoutParameter != null) {
                            edits.add(withoutParameter);
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            throw new MalformedRequest("The event is not valid JSON");
        }
        return edits;
    }

    private static boolean isSecretInSomeType(String field) {
        for (Set<String> fields : FIELDS_OF.values()) {
            if (fields.contains(field)) {
                return true;
            }
        }
        return false;
    }
}
