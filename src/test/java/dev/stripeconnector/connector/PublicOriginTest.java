package dev.stripeconnector.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeconnector.common.StartupRefusal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of a public origin, without the service: which hosts it answers to, which URLs become its own. */
class PublicOriginTest {

    static PublicOrigins origins(String domain, String baseUrl) {
        return new PublicOrigins(new ServiceConfig() {
            @Override
            public Optional<String> serviceDomain() {
                return Optional.ofNullable(domain);
            }

            @Override
            public Optional<String> publicBaseUrl() {
                return Optional.ofNullable(baseUrl);
            }
        }, null);
    }

    @Test
    void aRequestBelongsToAnOriginOnlyByItsConfiguredHostNameAndPort() {
        PublicOrigins https = origins("integrations.example.com", null);
        assertThat(https.match("integrations.example.com")).map(PublicOrigin::baseUrl).contains("https://integrations.example.com");
        assertThat(https.match("Integrations.Example.COM:443")).isPresent();
        assertThat(https.match("integrations.example.com:80")).isEmpty();
        assertThat(https.match("integrations.example.com:8443")).isEmpty();
        assertThat(https.match("integrations.example.com.evil.example")).isEmpty();
        assertThat(https.match("integrations.example.com:")).isEmpty();
        assertThat(https.match((String) null)).isEmpty();

        // A base URL that overrides the domain: both are the service's, and URLs are built on the base URL.
        PublicOrigins both = origins("connector.example.com", "https://connector.example.com:8443/");
        assertThat(both.match("connector.example.com:8443")).map(PublicOrigin::baseUrl).contains("https://connector.example.com:8443");
        assertThat(both.match("connector.example.com")).map(PublicOrigin::baseUrl).contains("https://connector.example.com:8443");
        assertThat(both.primary().serviceDomain()).isEqualTo("connector.example.com");

        // Dev mode: plain http on localhost.
        PublicOrigins dev = origins("localhost:8080", "http://localhost:8080");
        assertThat(dev.match("localhost:8080")).isPresent();
        assertThat(dev.match("127.0.0.1:8080")).isEmpty();
        assertThat(dev.primary().secure()).isFalse();
    }

    @Test
    void onlyUrlsBuiltOnTheRequestsOwnHostBecomeTheOrigins() {
        PublicOrigin origin = origins("integrations.example.com", null).primary();
        assertThat(origin.own("/console/login", "evil.example")).isEqualTo("https://integrations.example.com/console/login");
        assertThat(origin.own("http://evil.example/console/settings?saved=true#top", "evil.example"))
                .isEqualTo("https://integrations.example.com/console/settings?saved=true#top");
        assertThat(origin.own("http://integrations.example.com:80/console/x", "integrations.example.com:80"))
                .isEqualTo("https://integrations.example.com/console/x");
        assertThat(origin.own("http://cluster-name:8080", "cluster-name:8080")).isEqualTo("https://integrations.example.com/");
        // Other sites' URLs are left exactly as they are.
        assertThat(origin.own("https://connect.stripe.com/oauth/authorize?state=s", "integrations.example.com"))
                .isEqualTo("https://connect.stripe.com/oauth/authorize?state=s");
        assertThat(origin.own("https://app.partner.example/done?status=connected", "integrations.example.com"))
                .isEqualTo("https://app.partner.example/done?status=connected");
        assertThat(origin.own("//evil.example/x", "integrations.example.com")).isEqualTo("//evil.example/x");
        assertThat(origin.own("not a url", "integrations.example.com")).isEqualTo("not a url");

        // Handed back to Quarkus as on the request's own origin, then made the public one's again.
        String remembered = origin.own("http://integrations.example.com/console/installations?status=connected", "integrations.example.com");
        String asArrived = origin.onRequestOrigin(remembered, "http://integrations.example.com");
        assertThat(asArrived).isEqualTo("http://integrations.example.com/console/installations?status=connected");
        assertThat(origin.own(asArrived, "integrations.example.com")).isEqualTo(remembered);
        assertThat(origin.onRequestOrigin("https://evil.example/console", "http://integrations.example.com")).isEqualTo("https://evil.example/console");
        assertThat(origin.onRequestOrigin("https://integrations.example.com.evil.example/console", "http://integrations.example.com"))
                .isEqualTo("https://integrations.example.com.evil.example/console");
    }

    @Test
    void aFormComesFromTheOriginOnlyWithItsOwnOriginOrReferer() {
        PublicOrigin origin = origins("integrations.example.com", null).primary();
        assertThat(origin.sameOrigin("https://integrations.example.com", null)).isTrue();
        assertThat(origin.sameOrigin("https://integrations.example.com:443", null)).isTrue();
        assertThat(origin.sameOrigin("http://integrations.example.com", null)).isFalse();
        assertThat(origin.sameOrigin("null", "https://integrations.example.com/console/settings")).isTrue();
        assertThat(origin.sameOrigin(null, "https://evil.example/console/settings")).isFalse();
        assertThat(origin.sameOrigin(null, null)).isFalse();
    }

    @Test
    void aMalformedDomainOrBaseUrlRefusesToStart() {
        assertThatThrownBy(() -> origins("integrations.example.com/x", null)).isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("CONNECTOR_SERVICE_DOMAIN is malformed");
        assertThatThrownBy(() -> origins("bad domain", "https://integrations.example.com")).isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("CONNECTOR_SERVICE_DOMAIN is malformed");
        assertThatThrownBy(() -> origins(null, "ftp://integrations.example.com")).isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("CONNECTOR_PUBLIC_BASE_URL is malformed");
        assertThatThrownBy(() -> origins(null, null)).isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("CONNECTOR_SERVICE_DOMAIN is missing");
    }
}
