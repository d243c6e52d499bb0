package dev.stripeconnector.oauth;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The allow-list of {@code returnUrl}s (no open redirects) and the redirect back to them.
 * A prefix matches only at a boundary: {@code https://app.example.com} allows
 * {@code https://app.example.com/done} but not {@code https://app.example.com.evil.io}.
 */
@ApplicationScoped
public class ReturnUrls {

    static final int MAX_LENGTH = 2048;

    private final List<String> prefixes;

    public ReturnUrls(OAuthConfig config) {
        this.prefixes = config.allowedReturnUrls().orElse(List.of()).stream()
                .map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    /** Why {@code url} is refused, or null when it is allowed. */
    String problemWith(String url) {
        if (url.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute http(s) URL";
        }
        if (!uri.isAbsolute() || uri.getHost() == null
                || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
            return "must be an absolute http(s) URL";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain user information";
        }
        for (String prefix : prefixes) {
            if (url.startsWith(prefix) && atBoundary(url, prefix)) {
                return null;
            }
        }
        return prefixes.isEmpty()
                ? "is not allowed: CONNECTOR_ALLOWED_RETURN_URLS is empty"
                : "must start with one of the allowed return URLs (CONNECTOR_ALLOWED_RETURN_URLS)";
    }

    private static boolean atBoundary(String url, String prefix) {
        if (url.length() == prefix.length() || prefix.endsWith("/") || prefix.endsWith("?") || prefix.endsWith("=")) {
            return true;
        }
        char next = url.charAt(prefix.length());
        return next == '/' || next == '?' || next == '#';
    }

    /** {@code returnUrl} with the outcome added to its query (before any fragment). */
    static String withOutcome(String returnUrl, Map<String, String> params) {
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        int hash = returnUrl.indexOf('#');
        String base = hash < 0 ? returnUrl : returnUrl.substring(0, hash);
        String fragment = hash < 0 ? "" : returnUrl.substring(hash);
        String separator = base.contains("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?";
        return base + separator + query + fragment;
    }
}
