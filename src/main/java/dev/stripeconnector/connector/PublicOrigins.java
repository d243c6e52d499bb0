package dev.stripeconnector.connector;

import dev.stripeconnector.common.StartupRefusal;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.partner.Partners;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Which of the service's public origins a request belongs to: the one question every URL the service
 * builds starts from. The service's own origin, from {@code CONNECTOR_PUBLIC_BASE_URL} (or
 * {@code https://{CONNECTOR_SERVICE_DOMAIN}}), reached at its own host and at the service domain, is
 * partner default's; every other partner's is {@code https://{its service domain}}. A request's
 * {@code Host} only selects an origin; it never becomes part of a URL.
 *
 * <p>The partners' domains are held in memory, so that the browser guard can match a {@code Host} on
 * the event loop: read at start-up, again after a partner is created or changed on this replica, and
 * every {@code connector.partners.domains-refresh} (5 s) for the changes other replicas make. Whether a
 * partner is active is not decided here: that is read on each request by whoever serves it.
 */
@Startup(30)
@ApplicationScoped
public class PublicOrigins {

    private static final Logger LOG = Logger.getLogger(PublicOrigins.class);
    private static final String DOMAIN = "[A-Za-z0-9.-]+(:[0-9]{1,5})?";

    private final PublicOrigin primary;
    /** The {@code host:port} pairs (lower case, port always given) a browser may name in {@code Host}. */
    private final Set<String> hosts = new LinkedHashSet<>();
    private final Partners partners;
    /** The partners' origins by partner and by {@code host:port}, replaced whole at each refresh. */
    private volatile PartnerOrigins partnerOrigins = PartnerOrigins.NONE;

    private record PartnerOrigins(Map<PartnerId, PublicOrigin> byPartner, Map<String, PublicOrigin> byHost) {
        static final PartnerOrigins NONE = new PartnerOrigins(Map.of(), Map.of());
    }

    public PublicOrigins(ServiceConfig config, Partners partners) {
        this.partners = partners;
        String baseUrl = baseUrl(config.publicBaseUrl(), config.serviceDomain());
        URI base = URI.create(baseUrl);
        Optional<String> domain = config.serviceDomain().map(String::trim);
        this.primary = new PublicOrigin(baseUrl, domain.orElse(base.getAuthority()), PartnerId.DEFAULT);
        int defaultPort = primary.secure() ? 443 : 80;
        hosts.add(hostAndPort(base.getHost(), base.getPort() < 0 ? defaultPort : base.getPort()));
        domain.flatMap(d -> key(d, defaultPort)).ifPresent(hosts::add);
    }

    /**
     * The origin whose host is {@code host} ({@code name[:port]}, as in a {@code Host} header): the
     * service's own, or a partner's; empty for any other.
     */
    public Optional<PublicOrigin> match(String host) {
        if (host == null) {
            return Optional.empty();
        }
        Optional<PublicOrigin> own = key(host, primary.secure() ? 443 : 80).filter(hosts::contains).map(key -> primary);
        if (own.isPresent()) {
            return own;
        }
        return key(host, 443).map(partnerOrigins.byHost()::get);
    }

    /**
     * The origin a partner's URLs are built on (setup links, its redirect URI, its webhook endpoint):
     * partner default's is the service's own; another partner's is its service domain's, read again
     * when this replica does not know it yet (a partner created on another replica a moment ago).
     */
    public PublicOrigin of(PartnerId partner) {
        if (partner.isDefault()) {
            return primary;
        }
        PublicOrigin known = partnerOrigins.byPartner().get(partner);
        if (known != null) {
            return known;
        }
        refresh();
        known = partnerOrigins.byPartner().get(partner);
        if (known == null) {
            throw new IllegalStateException("Partner '" + partner + "' has no service domain");
        }
        return known;
    }

    /** Reads the partners' domains again (after a partner is created or changed, and on a schedule). */
    public void refresh() {
        Map<PartnerId, PublicOrigin> byPartner = new HashMap<>();
        Map<String, PublicOrigin> byHost = new HashMap<>();
        partners.domains().forEach((partner, domain) -> {
            PublicOrigin origin = new PublicOrigin("https://" + domain, domain, partner);
            byPartner.put(partner, origin);
            key(domain, 443).ifPresent(host -> byHost.put(host, origin));
        });
        partnerOrigins = new PartnerOrigins(Map.copyOf(byPartner), Map.copyOf(byHost));
    }

    void load(@Observes @Priority(20) StartupEvent start) {
        refreshOnSchedule();
    }

    @Scheduled(every = "${connector.partners.domains-refresh:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refreshOnSchedule() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // The database is away: the domains known stay in use until a refresh succeeds.
            LOG.debugf("The partners' service domains could not be read again: %s", e.getMessage());
        }
    }

    /**
     * The origin a request names in its {@code Host} header as sent (HTTP/2: {@code :authority});
     * empty for any other. The header, not Vert.x's reading of it, which drops a port that is the
     * default of the connection's own scheme.
     */
    public Optional<PublicOrigin> match(HttpServerRequest request) {
        String host = request.getHeader(HttpHeaders.HOST);
        if (host == null && request.authority() != null) {
            host = hostOf(request.authority());
        }
        return match(host);
    }

    /**
     * The origin URLs for this request are built on: the one its {@code Host} names, else the
     * service's own (the platform's services call the API through cluster names).
     */
    public PublicOrigin of(HttpServerRequest request) {
        return match(request).orElse(primary);
    }

    /**
     * The service's own origin: where the links made outside a browser's request point (the API's
     * {@code Location} headers and setup links, the redirect URI, the webhook endpoints).
     */
    public PublicOrigin primary() {
        return primary;
    }

    /** A request's authority as Quarkus writes it into the URLs it builds: {@code host[:port]}. */
    public static String hostOf(HostAndPort authority) {
        return authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
    }

    /** {@code https://{service domain}}, or the public base URL that overrides it; refuses anything malformed. */
    public static String baseUrl(Optional<String> publicBaseUrl, Optional<String> serviceDomain) {
        if (serviceDomain.isPresent() && !serviceDomain.get().trim().matches(DOMAIN)) {
            throw new StartupRefusal("CONNECTOR_SERVICE_DOMAIN is malformed: it must be a host name such as integrations.example.com");
        }
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
            return "https://" + serviceDomain.get().trim();
        }
        throw new StartupRefusal("CONNECTOR_SERVICE_DOMAIN is missing: set it to the host name Stripe redirects to (or set CONNECTOR_PUBLIC_BASE_URL)");
    }

    /** {@code name[:port]} as {@code name:port}, lower case, the default port filled in; empty when the port is not a number. */
    private static Optional<String> key(String host, int defaultPort) {
        String value = host.trim();
        int colon = value.lastIndexOf(':');
        if (colon < 0 || value.endsWith("]")) {
            return Optional.of(hostAndPort(value, defaultPort));
        }
        try {
            return Optional.of(hostAndPort(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String hostAndPort(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
