package dev.stripeconnector.support.hostile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the service answered to one request: its status, headers (names in lower case) and raw
 * body, or, when no answer could be read at all, status -1 and why.
 */
public record Answer(int status, Map<String, List<String>> headers, byte[] body, String failure) {

    public static Answer none(String why) {
        return new Answer(-1, Map.of(), new byte[0], why);
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String contentType() {
        String type = header("content-type");
        return type == null ? "" : type;
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Every header as "name: value" lines, to search them like the body. */
    public String headerText() {
        return headers.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> e.getKey() + ": " + v))
                .collect(Collectors.joining("\n"));
    }
}
