package dev.stripeconnector.connector;

import dev.stripeconnector.common.StartupRefusal;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** The service's public base URL and the redirect URI derived from it. */
@Startup(30)
@ApplicationScoped
public class ServiceUrls {

    public static final String CALLBACK_PATH = "/connector/callback";

    private final ServiceConfig config;
    private String baseUrl;

    public ServiceUrls(ServiceConfig config) {
        this.config = config;
    }

    @PostConstruct
    void init() {
        baseUrl = baseUrl(config.publicBaseUrl(), config.serviceDomain());
    }

    /** {@code https://{service domain}}, or the public base URL that overrides it; refuses anything malformed. */
    public static String baseUrl(Optional<String> publicBaseUrl, Optional<String> serviceDomain) {
        if (publicBaseUrl.isPresent()) {
            String url = stripSlash(publicBaseUrl.get().trim());
            try {
                URI uri = new URI(url);
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getQuery() != null || uri.getFragment() != null) {
                    throw new URISyntaxException(url, "not an absolute http(s) URL");
                }
            } catch (URISyntaxException e) {
                throw new StartupRefusal("CONNECTOR_PUBLIC_BASE_URL is malformed: it must be an absolute http(s) URL such as https://integrations.example.com");
            }
            return url;
        }
        if (serviceDomain.isPresent()) {
            String domain = serviceDomain.get().trim();
            if (!domain.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw new StartupRefusal("CONNECTOR_SERVICE_DOMAIN is malformed: it must be a host name such as integrations.example.com");
            }
            return "https://" + domain;
        }
        throw new StartupRefusal("CONNECTOR_SERVICE_DOMAIN is missing: set it to the host name Stripe redirects to (or set CONNECTOR_PUBLIC_BASE_URL)");
    }

    /**
     * Whether a browser's form post comes from this service's own pages: its {@code Origin} (or,
     * without one, its {@code Referer}) must be the public base URL's origin.
     */
    public boolean sameOrigin(String origin, String referer) {
        String own = origin(baseUrl);
        if (origin != null && !origin.isBlank() && !"null".equals(origin)) {
            return own.equalsIgnoreCase(origin.strip());
        }
        return referer != null && own.equalsIgnoreCase(origin(referer.strip()));
    }

    private static String origin(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "";
            }
            int port = uri.getPort();
            boolean defaultPort = port < 0 || ("https".equals(uri.getScheme()) && port == 443) || ("http".equals(uri.getScheme()) && port == 80);
            return uri.getScheme() + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return "";
        }
    }

    /** The URI to register at Stripe, which every authorize URL names as its redirect_uri. */
    public String redirectUri() {
        return baseUrl + CALLBACK_PATH;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The configured domain, or the host of the public base URL. */
    public String serviceDomain() {
        return config.serviceDomain().map(String::trim).orElseGet(() -> URI.create(baseUrl).getAuthority());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
