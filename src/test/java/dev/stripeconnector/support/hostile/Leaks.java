package dev.stripeconnector.support.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What must never reach a caller or a log: implementation details and secrets. */
public final class Leaks {

    /**
     * Java class names and stack-trace markers. None of the hostile inputs contains any of them, so
     * finding one in an answer means the service (or a layer under it) told a caller about itself.
     */
    public static final List<String> MARKERS = List.of(
            "Exception", "at dev.", "at io.", "java.", "org.hibernate", "io.vertx", "Error id", "Caused by:", "\tat ",
            "org.jboss.", "io.quarkus.", "io.smallrye.", "com.fasterxml.", "org.postgresql", "dev.stripeconnector.", "jakarta.",
            "NullPointer", "Throwable", "StackTrace");

    private Leaks() {
    }

    /** The first marker found in {@code text}, or null. */
    public static String marker(String text) {
        for (String marker : MARKERS) {
            if (text.contains(marker)) {
                return marker;
            }
        }
        return null;
    }

    /** The first of {@code secrets} found in {@code text}, or null. */
    public static String secret(String text, Iterable<String> secrets) {
        for (String secret : secrets) {
            if (text.contains(secret)) {
                return secret;
            }
        }
        return null;
    }

    /** A secret as it may appear when encoded by mistake: plain, base64 (both alphabets) and hex. */
    public static Set<String> encodings(String secret) {
        Set<String> all = new LinkedHashSet<>();
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        all.add(secret);
        all.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        all.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        all.add(HexFormat.of().formatHex(bytes));
        return all;
    }

    /** A secret shown as itself, never its value, in messages: its first 8 characters and length. */
    public static String name(String secret) {
        return secret.substring(0, Math.min(8, secret.length())) + "…(" + secret.length() + " chars)";
    }

    public static List<String> names(Iterable<String> secrets) {
        List<String> out = new ArrayList<>();
        secrets.forEach(s -> out.add(name(s)));
        return out;
    }
}
