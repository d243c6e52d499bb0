package dev.stripeconnector.events;

import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.StartupRefusal;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where events may be sent (the guard against server-side request forgery). A receiver's URL is
 * https, on a port of {@code connector.events.receiver-ports}, without credentials; its host must
 * resolve to public addresses only: loopback, link-local (cloud metadata among them), private,
 * shared, multicast and reserved ranges are refused. A host of {@code connector.events.allowed-hosts}
 * (in-cluster receivers live in private ranges) may use http, any port and any address.
 *
 * <p>The rules are applied when a URL is saved and again at every connection, on the addresses the
 * name resolves to then (a name may resolve elsewhere by then: DNS rebinding); the connection goes to
 * the address that was checked, and redirects are never followed.
 */
@Startup(45)
@ApplicationScoped
public class ReceiverPolicy {

    public static final int MAX_URL = 2048;
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f.]*:[0-9a-f:.]*");

    private final EventsConfig config;
    private final ReceiverAddresses addresses;
    private Set<String> exactHosts;
    private List<String> suffixes;
    private Set<Integer> ports;

    public ReceiverPolicy(EventsConfig config, ReceiverAddresses addresses) {
        this.config = config;
        this.addresses = addresses;
    }

    @PostConstruct
    void init() {
        exactHosts = new TreeSet<>();
        suffixes = new ArrayList<>();
        for (String host : allowList(config.allowedHosts().orElse(List.of()))) {
            if (host.startsWith(".")) {
                suffixes.add(host);
            } else {
                exactHosts.add(host);
            }
        }
        ports = new TreeSet<>(config.receiverPorts());
        if (ports.stream().anyMatch(p -> p < 1 || p > 65535)) {
            throw new StartupRefusal("CONNECTOR_EVENTS_RECEIVER_PORTS is malformed: ports are 1 to 65535");
        }
        if (config.requestTimeout().isNegative() || config.requestTimeout().isZero() || config.pollInterval().isNegative()
                || config.pollInterval().isZero() || config.firstRetry().isNegative() || config.firstRetry().isZero()
                || config.maxRetryInterval().compareTo(config.firstRetry()) < 0 || config.concurrency() < 1) {
            throw new StartupRefusal("CONNECTOR_EVENTS_* is malformed: the poll interval, request timeout and first retry must be"
                    + " positive, the longest retry interval at least the first, the concurrency at least 1");
        }
    }

    /**
     * The entries of {@code CONNECTOR_EVENTS_ALLOWED_HOSTS}, normalized: host names, IP addresses and
     * {@code .suffix}es. Refuses (start-up checks it before anything starts) an entry with a scheme,
     * a port or a path.
     */
    public static List<String> allowList(List<String> entries) {
        List<String> hosts = new ArrayList<>();
        for (String entry : entries) {
            String host = normalizedHost(entry.trim());
            if (host.isEmpty()) {
                continue;
            }
            boolean suffix = host.startsWith(".") && HOST_NAME.matcher(host.substring(1)).matches();
            if (!suffix && !HOST_NAME.matcher(host).matches() && !isIpLiteral(host)) {
                throw new StartupRefusal("CONNECTOR_EVENTS_ALLOWED_HOSTS is malformed: each entry is a host name, an IP address or"
                        + " .suffix (no scheme, port or path)");
            }
            hosts.add(host);
        }
        return hosts;
    }

    /** Whether {@code host} (as written in a URL) is allow-listed. */
    public boolean allowListed(String host) {
        String normalized = normalizedHost(host);
        return exactHosts.contains(normalized) || suffixes.stream().anyMatch(normalized::endsWith);
    }

    /** Why {@code url} may not receive events, checked as it is saved (its name resolved now), or null when it may. */
    public String problemWith(String url) {
        if (url == null || url.isBlank()) {
            return "must be an https URL";
        }
        if (url.length() > MAX_URL) {
            return "must be at most " + MAX_URL + " characters";
        }
        Receiver receiver;
        try {
            receiver = parse(url);
        } catch (Refused refused) {
            return refused.getMessage();
        }
        if (receiver.allowListed()) {
            return null;
        }
        try {
            receiver.address(addresses);
        } catch (Refused refused) {
            return refused.getMessage();
        } catch (UnknownHostException notYet) {
            // A name that does not resolve yet is checked at every connection; the attempts show it failing.
        }
        return null;
    }

    /** A URL that passed the rules that need no resolution. */
    public record Receiver(URI uri, String host, int port, boolean https, boolean allowListed) {

        /** The path and query to request. */
        public String target() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }

        /**
         * The address to connect to, resolved now: for a host that is not allow-listed, every address
         * it resolves to must be public (one private answer refuses it all).
         */
        public InetAddress address(ReceiverAddresses resolver) throws UnknownHostException {
            List<InetAddress> all = resolver.resolve(host);
            if (all.isEmpty()) {
                throw new UnknownHostException(host);
            }
            if (!allowListed) {
                for (InetAddress address : all) {
                    String why = forbidden(address);
                    if (why != null) {
                        throw new Refused(host + " resolves to " + address.getHostAddress() + ", a " + why
                                + " address; only public addresses are reached (or hosts of CONNECTOR_EVENTS_ALLOWED_HOSTS)");
                    }
                }
            }
            return all.get(0);
        }
    }

    /** A receiver this service will not connect to, and why (never a secret: URLs carry none). */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Applies the rules that need no DNS: scheme, credentials, port, names and literal addresses. */
    public Receiver parse(String url) {
        if (Fields.hasControlCharacter(url) || url.contains(" ")) {
            throw new Refused("must be a URL without spaces or control characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new Refused("must be an absolute https URL with a host name, e.g. https://events.example.com/stripe-connector");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("must not carry credentials (user:password@): receivers verify the signature instead");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("must not have a fragment (#…)");
        }
        String host = normalizedHost(uri.getHost());
        boolean https = scheme.equals("https");
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        boolean allowListed = allowListed(host);
        if (!allowListed) {
            if (!https) {
                throw new Refused("must use https (http only to hosts of CONNECTOR_EVENTS_ALLOWED_HOSTS)");
            }
            if (!ports.contains(port)) {
                throw new Refused("must use port " + String.join(" or ", ports.stream().map(String::valueOf).toList())
                        + " (CONNECTOR_EVENTS_RECEIVER_PORTS; other ports only to hosts of CONNECTOR_EVENTS_ALLOWED_HOSTS)");
            }
            if (host.equals("localhost") || host.endsWith(".localhost")) {
                throw new Refused("must not name this machine (localhost)");
            }
            if (isIpLiteral(host)) {
                try {
                    String why = forbidden(InetAddress.getByName(host));
                    if (why != null) {
                        throw new Refused("names a " + why + " address; only public addresses are reached (or hosts of"
                                + " CONNECTOR_EVENTS_ALLOWED_HOSTS)");
                    }
                } catch (UnknownHostException e) {
                    throw new Refused("is not a valid URL");
                }
            } else if (!HOST_NAME.matcher(host).matches()) {
                throw new Refused("must name a host of letters, digits, '-' and '.'");
            }
        }
        return new Receiver(uri, host, port, https, allowListed);
    }

    /** A host as compared: lower case, without IPv6 brackets or a final dot. */
    static String normalizedHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") && h.length() > 1 ? h.substring(0, h.length() - 1) : h;
    }

    static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || IPV6.matcher(host).matches();
    }

    /**
     * Why an address is not a public one (loopback, private, …), or null when it is. Metadata services
     * live at link-local (169.254.169.254, fe80::…), shared (100.100.100.200) or unique-local (fd00:ec2::254)
     * addresses, all refused.
     */
    public static String forbidden(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (v6.isAnyLocalAddress()) {
                return "unspecified";
            }
            if (v6.isLoopbackAddress()) {
                return "loopback";
            }
            if (v6.isLinkLocalAddress()) {
                return "link-local";
            }
            if (v6.isSiteLocalAddress()) {
                return "site-local";
            }
            if (v6.isMulticastAddress()) {
                return "multicast";
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "private (unique local)";
            }
            if (prefix(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff) || prefix(b, 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0)) {
                // IPv4-mapped, or NAT64 (64:ff9b::/96): judged by the IPv4 address inside.
                return forbidden(v4(b, 12));
            }
            if (prefix(b, 0x20, 0x02)) {
                return forbidden(v4(b, 2));
            }
            if (prefix(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) {
                return "reserved (IPv4-compatible)";
            }
            if (prefix(b, 0x20, 0x01, 0x0d, 0xb8) || prefix(b, 0x01, 0, 0, 0, 0, 0, 0, 0)) {
                return "reserved (documentation or discard)";
            }
            return null;
        }
        byte[] b = address.getAddress();
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0) {
            return "unspecified";
        }
        if (a0 == 127) {
            return "loopback";
        }
        if (a0 == 169 && a1 == 254) {
            return "link-local (cloud metadata)";
        }
        if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
            return "private";
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return "shared (carrier-grade NAT)";
        }
        if (a0 >= 224) {
            return a0 < 240 ? "multicast" : "reserved";
        }
        if ((a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) || (a0 == 198 && (a1 == 18 || a1 == 19))
                || (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return "reserved";
        }
        return null;
    }

    private static boolean prefix(byte[] address, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if ((address[i] & 0xff) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte[] address, int offset) {
        try {
            return Inet4Address.getByAddress(new byte[]{address[offset], address[offset + 1], address[offset + 2], address[offset + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
