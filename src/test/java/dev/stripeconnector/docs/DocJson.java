package dev.stripeconnector.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON answer as the docs show it, compared with the service's answer structurally (member order and
 * white space do not matter). The docs' conventions:
 * <ul>
 * <li>{@code …} as an object's last member ({@code {"a":1, …}}) or an array's last item: more members or items
 * may follow, not shown. Without it, the answer has exactly the members shown.</li>
 * <li>{@code …} inside a string: the rest of an id or token ({@code "acct_…"}, {@code "…/connector/setup/…"}).</li>
 * <li>The members named in {@link #TIMES} hold any time, those in {@link #IDS} any id, those in {@link #TOKENS}
 * any token, those in {@link #DURATIONS} any latency: the docs show a sample value there, the service answers a new one each
 * time.</li>
 * </ul>
 */
final class DocJson {

    /** Members whose value is a time (any instant; null only where the docs show null). */
    static final Set<String> TIMES = Set.of("createdAt", "updatedAt", "expiresAt", "authorizeUrlExpiresAt", "connectedAt",
            "tokensRefreshedAt", "verifiedAt", "lastUsedAt", "revokedAt", "oldKeyExpiresAt", "previousSecretExpiresAt", "at", "sentAt", "occurredAt");
    /** Members whose value is an id the service makes up (random or time-based). */
    static final Set<String> IDS = Set.of("id", "keyId", "subscriptionId", "eventId", "replacedBy", "nextCursor");
    /** Members whose value is a secret or a part of one, new each time. */
    static final Set<String> TOKENS = Set.of("key", "prefix", "signingSecret", "secretLast4");
    /** Members whose value is a measured latency in milliseconds (any number from 0): the docs show a sample. */
    static final Set<String> DURATIONS = Set.of("durationMs");

    private static final String MORE = "…";
    /** What {@code …} inside a string stands for: the rest of an id or a token. */
    private static final String ID_OR_TOKEN_REST = "[A-Za-z0-9_-]*";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DocJson() {
    }

    /** Parses a JSON block of the docs, its {@code …} members and items kept as markers. */
    static JsonNode parse(String docText) {
        try {
            return JSON.readTree(withMarkers(docText));
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON (with the docs' … convention): " + e.getOriginalMessage() + "\n" + docText);
        }
    }

    static JsonNode parseAnswer(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the service's answer is not JSON: " + body);
        }
    }

    /** {@code …} outside strings becomes a marker member ({@code "…":"…"}) or a marker item ({@code "…"}). */
    private static String withMarkers(String text) {
        StringBuilder out = new StringBuilder();
        Deque<Character> open = new ArrayDeque<>();
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(text.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '{', '[' -> open.push(c);
                case '}', ']' -> open.pop();
                default -> {
                }
            }
            if (c == '…') {
                out.append(!open.isEmpty() && open.peek() == '{' ? "\"…\":\"…\"" : "\"…\"");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Compares the docs' answer with the service's; every difference is added to {@code differences}, and
     * each id the docs show is mapped to the service's ({@code ids}), so a later example that repeats it
     * reaches the same thing.
     */
    static void compare(JsonNode doc, JsonNode actual, String path, String member, List<String> differences, Map<String, String> ids) {
        if (member != null && DURATIONS.contains(member) && doc.isNumber()) {
            if (!actual.isIntegralNumber() || actual.asLong() < 0) {
                differences.add(path + ": the docs show a duration, the service answers " + actual);
            }
            return;
        }
        if (member != null && (TIMES.contains(member) || IDS.contains(member) || TOKENS.contains(member)) && !doc.isContainerNode()) {
            if (doc.isNull() != actual.isNull()) {
                differences.add(path + ": the docs show " + doc + ", the service answers " + actual);
            } else if (!doc.isNull()) {
                if (!actual.isTextual() || actual.asText().isEmpty()) {
                    differences.add(path + ": the docs show a " + kindOf(member) + ", the service answers " + actual);
                } else if (TIMES.contains(member) && !isTime(actual.asText())) {
                    differences.add(path + ": the service answers " + actual + ", not a time");
                } else if (IDS.contains(member) && doc.isTextual()) {
                    ids.put(doc.asText(), actual.asText());
                }
            }
            return;
        }
        if (doc.isObject()) {
            if (!actual.isObject()) {
                differences.add(path + ": the docs show an object, the service answers " + actual);
                return;
            }
            boolean more = doc.has(MORE);
            Set<String> unseen = new HashSet<>();
            actual.fieldNames().forEachRemaining(unseen::add);
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals(MORE)) {
                    continue;
                }
                unseen.remove(field.getKey());
                if (!actual.has(field.getKey())) {
                    differences.add(path + "." + field.getKey() + ": in the docs, not in the service's answer");
                } else {
                    compare(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey(), field.getKey(), differences, ids);
                }
            }
            if (!more && !unseen.isEmpty()) {
                differences.add(path + ": the service answers members the docs do not show (or mark with …): " + unseen);
            }
        } else if (doc.isArray()) {
            if (!actual.isArray()) {
                differences.add(path + ": the docs show an array, the service answers " + actual);
                return;
            }
            int shown = doc.size();
            boolean more = shown > 0 && MORE.equals(doc.get(shown - 1).asText(null));
            int compared = more ? shown - 1 : shown;
            if (more ? actual.size() < compared : actual.size() != compared) {
                differences.add(path + ": the docs show " + compared + (more ? " or more" : "") + " items, the service answers "
                        + actual.size() + ": " + actual);
                return;
            }
            for (int i = 0; i < compared; i++) {
                compare(doc.get(i), actual.get(i), path + "[" + i + "]", member, differences, ids);
            }
        } else if (doc.isTextual() && doc.asText().contains(MORE)) {
            if (!actual.isTextual() || !pattern(doc.asText()).matcher(actual.asText()).matches()) {
                differences.add(path + ": the docs show " + doc + ", the service answers " + actual);
            }
        } else if (doc.isNumber() && actual.isNumber()) {
            if (doc.decimalValue().compareTo(actual.decimalValue()) != 0) {
                differences.add(path + ": the docs show " + doc + ", the service answers " + actual);
            }
        } else if (!doc.equals(actual)) {
            differences.add(path + ": the docs show " + doc + ", the service answers " + actual);
        }
    }

    private static String kindOf(String member) {
        return TIMES.contains(member) ? "time" : IDS.contains(member) ? "id" : "token";
    }

    private static Pattern pattern(String docText) {
        StringBuilder regex = new StringBuilder();
        String[] parts = docText.split(MORE, -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(ID_OR_TOKEN_REST);
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }

    private static boolean isTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
