package dev.stripeconnector.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeconnector.common.StartupRefusal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The guard against server-side request forgery, without a server: which receivers are refused when
 * their URL is saved, and which addresses are refused when connecting (a name may resolve elsewhere
 * by then). With an empty allow-list, the tests' own receiver (http on 127.0.0.1) is refused.
 */
class ReceiverPolicyTest {

    /** The tests' receivers: WireMock on this machine, over http. */
    static final String LOCAL_RECEIVER = "http://127.0.0.1:43210/hooks";

    /** DNS played by the test: each name resolves to the addresses given, a literal address to itself, anything else not at all. */
    static final class Dns extends ReceiverAddresses {
        final Map<String, List<String>> answers;

        Dns(Map<String, List<String>> answers) {
            this.answers = answers;
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            if (host.matches("[0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*")) {
                return List.of(InetAddress.getByName(host));
            }
            List<String> found = answers.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (String address : found) {
                addresses.add(InetAddress.getByName(address));
            }
            return addresses;
        }
    }

    static ReceiverPolicy policy(List<String> allowedHosts, ReceiverAddresses dns) {
        EventsConfig config = new EventsConfig() {
            @Override
            public Optional<List<String>> allowedHosts() {
                return allowedHosts.isEmpty() ? Optional.empty() : Optional.of(allowedHosts);
            }

            @Override
            public List<Integer> receiverPorts() {
                return List.of(443);
            }

            @Override
            public Duration pollInterval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration requestTimeout() {
                return Duration.ofSeconds(10);
            }

            @Override
            public Duration firstRetry() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration maxRetryInterval() {
                return Duration.ofHours(1);
            }

            @Override
            public Duration retryFor() {
                return Duration.ofDays(3);
            }

            @Override
            public int concurrency() {
                return 8;
            }
        };
        ReceiverPolicy policy = new ReceiverPolicy(config, dns);
        policy.init();
        return policy;
    }

    /** Where a delivery to {@code url} would connect, or why it is refused (as the attempt records it). */
    static String connect(ReceiverPolicy policy, ReceiverAddresses dns, String url) {
        try {
            return policy.parse(url).address(dns).getHostAddress();
        } catch (ReceiverPolicy.Refused refused) {
            return "refused: " + refused.getMessage();
        } catch (UnknownHostException e) {
            return "unknown host";
        }
    }

    @Test
    void withAnEmptyAllowListTheTestsOwnReceiverIsRefusedWhenSavedAndWhenConnecting() {
        Dns dns = new Dns(Map.of());
        ReceiverPolicy policy = policy(List.of(), dns);
        assertThat(policy.problemWith(LOCAL_RECEIVER)).contains("must use https");
        assertThat(connect(policy, dns, LOCAL_RECEIVER)).startsWith("refused").contains("must use https");
        // Even over https on 443, 127.0.0.1 is loopback.
        assertThat(connect(policy, dns, "https://127.0.0.1/hooks")).contains("loopback");

        // Allow-listed, the same receiver is fine: the test profile's allow-list is what lets the tests reach WireMock.
        ReceiverPolicy allowing = policy(List.of("127.0.0.1"), dns);
        assertThat(allowing.problemWith(LOCAL_RECEIVER)).isNull();
        assertThat(connect(allowing, dns, LOCAL_RECEIVER)).isEqualTo("127.0.0.1");
    }

    @Test
    void aNameResolvingInsideIsRefusedWhenConnectingWhateverItResolvedToWhenSaved() {
        Map<String, List<String>> answers = new java.util.HashMap<>();
        Dns dns = new Dns(answers);
        ReceiverPolicy policy = policy(List.of(), dns);
        String url = "https://receiver.example.com/hooks";
        answers.put("receiver.example.com", List.of("93.184.216.34"));
        assertThat(policy.problemWith(url)).isNull();
        assertThat(connect(policy, dns, url)).isEqualTo("93.184.216.34");

        // DNS rebinding: the same name, checked again at every connection.
        Map<String, String> inside = new java.util.LinkedHashMap<>();
        inside.put("127.0.0.1", "loopback");
        inside.put("127.8.9.10", "loopback");
        inside.put("169.254.169.254", "link-local (cloud metadata)");
        inside.put("10.0.0.7", "private");
        inside.put("172.20.1.1", "private");
        inside.put("192.168.0.1", "private");
        inside.put("100.100.100.200", "shared");
        inside.put("0.0.0.0", "unspecified");
        inside.put("::1", "loopback");
        inside.put("::", "unspecified");
        inside.put("fe80::1", "link-local");
        inside.put("fd00:ec2::254", "unique local");
        inside.put("fc00::5", "unique local");
        inside.put("::ffff:127.0.0.1", "loopback");
        inside.put("::ffff:169.254.169.254", "link-local");
        inside.put("::ffff:10.1.1.1", "private");
        inside.put("64:ff9b::a9fe:a9fe", "link-local");
        inside.put("2002:c0a8:0101::1", "private");
        inside.put("ff02::1", "multicast");
        inside.put("224.0.0.251", "multicast");
        inside.forEach((address, why) -> {
            answers.put("receiver.example.com", List.of(address));
            assertThat(connect(policy, dns, url)).as(address).startsWith("refused")
                    .contains("resolves to").contains(why);
        });

        // One inside answer among public ones refuses it all (the client might pick any of them).
        answers.put("receiver.example.com", List.of("93.184.216.34", "10.0.0.7"));
        assertThat(connect(policy, dns, url)).contains("10.0.0.7, a private address");
        answers.put("receiver.example.com", List.of("2606:4700:4700::1111", "93.184.216.34"));
        assertThat(connect(policy, dns, url)).isEqualTo("2606:4700:4700:0:0:0:0:1111");
        answers.remove("receiver.example.com");
        assertThat(connect(policy, dns, url)).isEqualTo("unknown host");
    }

    @Test
    void literalAddressesLocalNamesHttpOtherPortsAndCredentialsAreRefusedWhenSaved() {
        Dns dns = new Dns(Map.of());
        ReceiverPolicy policy = policy(List.of(), dns);
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("http://events.example.com/hooks", "must use https");
        refused.put("https://events.example.com:8443/hooks", "port 443");
        refused.put("https://user:pw@events.example.com/hooks", "credentials");
        refused.put("https://localhost/hooks", "localhost");
        refused.put("https://LOCALHOST./hooks", "localhost");
        refused.put("https://127.0.0.1/hooks", "loopback");
        refused.put("https://169.254.169.254/latest/meta-data/", "link-local");
        refused.put("https://10.20.30.40/hooks", "private");
        refused.put("https://[::1]/hooks", "loopback");
        refused.put("https://[fd12:3456::1]/hooks", "unique local");
        refused.put("https://[::ffff:192.168.1.1]/hooks", "private");
        refused.put("https://[::ffff:7f00:1]/hooks", "loopback");
        refused.put("file:///etc/passwd", "https URL");
        refused.put("gopher://events.example.com/", "https URL");
        refused.forEach((url, why) -> assertThat(policy.problemWith(url)).as(url).contains(why));
        // A name that does not resolve yet may be saved: it is checked at every connection.
        assertThat(policy.problemWith("https://not-yet.example.com/hooks")).isNull();
    }

    @Test
    void theAllowListAdmitsExactHostsAndSuffixesWithTheirPrivateAddressesAndNothingElse() {
        Dns dns = new Dns(Map.of(
                "billing.payments.svc.cluster.local", List.of("10.96.0.12"),
                "svc.cluster.local.evil.example", List.of("10.96.0.13"),
                "receiver.internal", List.of("192.168.4.4")));
        ReceiverPolicy policy = policy(List.of(".svc.cluster.local", "receiver.internal"), dns);
        assertThat(connect(policy, dns, "http://billing.payments.svc.cluster.local:8080/hooks")).isEqualTo("10.96.0.12");
        assertThat(connect(policy, dns, "http://receiver.internal/hooks")).isEqualTo("192.168.4.4");
        // A suffix matches at a dot, not inside a name.
        assertThat(connect(policy, dns, "https://svc.cluster.local.evil.example/hooks")).contains("private");
        assertThat(connect(policy, dns, "http://other.internal/hooks")).contains("must use https");
    }

    @Test
    void aMalformedAllowListRefusesToStart() {
        assertThat(ReceiverPolicy.allowList(List.of(" .svc.cluster.local", "10.0.0.1", "fd00::1", "Receiver.Internal.", "")))
                .containsExactly(".svc.cluster.local", "10.0.0.1", "fd00::1", "receiver.internal");
        for (String entry : List.of("https://receiver.internal", "receiver.internal:8080", "receiver.internal/hooks", "*.internal")) {
            assertThatThrownBy(() -> ReceiverPolicy.allowList(List.of(entry))).as(entry).isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("CONNECTOR_EVENTS_ALLOWED_HOSTS is malformed");
        }
    }
}
