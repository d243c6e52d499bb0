package dev.stripeconnector.connector;

import dev.stripeconnector.partner.PartnerId;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One public origin of the service: the base URL (scheme, host, port) a browser, Stripe and the
 * platform's services reach it at, from configuration alone. Every absolute URL the service hands
 * out is built on one of these, never on a request's {@code Host} or {@code X-Forwarded-*}.
 *
 * @param baseUrl the configured base URL, without a trailing slash, e.g. {@code https://integrations.example.com}
 * @param serviceDomain the service domain it stands for, as the console shows it, e.g. {@code integrations.example.com}
 * @param partner the partner whose domain it is: a request that arrives on it acts for that partner
 *                (the configured service domain is partner default's)
 */
public record PublicOrigin(String baseUrl, String serviceDomain, PartnerId partner) {

    public static final String CALLBACK_PATH = "/connector/callback";

    /** {@code scheme://host[:port]}, the port only when it is not the scheme's default; lower case. */
    public String origin() {
        return originOf(baseUrl);
    }

    /** Whether browsers reach it over https, so its cookies must be {@code Secure}. */
    public boolean secure() {
        return baseUrl.regionMatches(true, 0, "https://", 0, 8);
    }

    /** The absolute URL of a path of the service, e.g. {@code url("/console/settings")}. */
    public String url(String path) {
        return baseUrl + path;
    }

    /** The URI to register at Stripe, which every authorize URL names as its redirect_uri. */
    public String redirectUri() {
        return url(CALLBACK_PATH);
    }

    /**
     * {@code url} made this origin's when it was built on the request's own address ({@code requestHost},
     * as {@code host[:port]}, which is where Quarkus takes the authority of the redirects it builds from)
     * or is a path; any other URL (Stripe's, a partner's return URL) is left as it is.
     */
    public String own(String url, String requestHost) {
        if (url.startsWith("/") && !url.startsWith("//")) {
            return baseUrl + url;
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getRawAuthority() == null || requestHost == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || !uri.getRawAuthority().equalsIgnoreCase(requestHost)) {
                return url;
            }
            return baseUrl + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
        } catch (URISyntaxException e) {
            return url;
        }
    }

    /**
     * {@code url}, when {@link #own} made it this origin's, moved back onto {@code requestOrigin}
     * ({@code scheme://host[:port]} as the request arrived); any other URL as it is.
     */
    public String onRequestOrigin(String url, String requestOrigin) {
        boolean ours = url != null && url.regionMatches(true, 0, baseUrl, 0, baseUrl.length())
                && (url.length() == baseUrl.length() || url.charAt(baseUrl.length()) == '/' || url.charAt(baseUrl.length()) == '?');
        return ours ? requestOrigin + url.substring(baseUrl.length()) : url;
    }

    /**
     * Whether a browser's form post comes from this origin's pages: its {@code Origin} (or, without
     * one, its {@code Referer}) must be this origin.
     */
    public boolean sameOrigin(String origin, String referer) {
        if (origin != null && !origin.isBlank() && !"null".equals(origin)) {
            return origin().equals(originOf(origin.strip()));
        }
        return referer != null && origin().equals(originOf(referer.strip()));
    }

    static String originOf(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "";
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port < 0 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return "";
        }
    }
}
