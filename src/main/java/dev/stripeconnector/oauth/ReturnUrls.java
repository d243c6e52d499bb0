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

    /**
     * {@code url} as a browser would resolve it: dot segments, also percent-encoded ones, removed.
     * The allow-list is checked against this form, and this form is where the person is sent, so
     * {@code https://app.example.com/integrations/../admin} cannot pass as {@code …/integrations}.
     * Null when it is not a URL.
     */
    static String normalized(String url) {
        try {
            URI uri = new URI(url);
            String path = uri.getRawPath();
            if (path == null || uri.isOpaque()) {
                return url;
            }
            String decodedDots = path.replaceAll("(?i)%2e", ".");
            URI resolved = new URI(uri.getScheme() + "://" + uri.getRawAuthority() + decodedDots).normalize();
            String normalizedPath = resolved.getRawPath();
            if (normalizedPath.startsWith("/..") || normalizedPath.startsWith("..")) {
                normalizedPath = "/";
            }
            return uri.getScheme() + "://" + uri.getRawAuthority() + normalizedPath
                    + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "")
                    + (uri.getRawFragment() != null ? "#" + uri.getRawFragment() : "");
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Why {@code url} is refused, or null when it is allowed (as {@link #normalized(String)}). */
    String problemWith(String url) {
        if (url.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        if (url.indexOf('\\') >= 0 || url.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return "must be an absolute http(s) URL without spaces, backslashes or control characters";
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
        String resolved = normalized(url);
        if (resolved == null) {
            return "must be an absolute http(s) URL";
        }
        for (String prefix : prefixes) {
            if (resolved.startsWith(prefix) && atBoundary(resolved, prefix)) {
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
