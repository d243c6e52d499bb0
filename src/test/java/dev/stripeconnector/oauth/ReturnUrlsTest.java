package dev.stripeconnector.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The allow-list of return URLs is checked against the URL a browser would go to. */
class ReturnUrlsTest {

    final ReturnUrls urls = new ReturnUrls(new OAuthConfig() {
        public Duration oauthStateTtl() {
            return Duration.ofMinutes(10);
        }

        public Duration installLinkTtl() {
            return Duration.ofDays(7);
        }

        public Optional<List<String>> allowedReturnUrls() {
            return Optional.of(List.of("https://app.example.com/integrations"));
        }
    });

    @Test
    void urlsUnderAnAllowedPrefixPass() {
        assertThat(urls.problemWith("https://app.example.com/integrations")).isNull();
        assertThat(urls.problemWith("https://app.example.com/integrations/stripe?tab=1#done")).isNull();
        assertThat(urls.problemWith("https://app.example.com/integrations/./stripe")).isNull();
        assertThat(ReturnUrls.normalized("https://app.example.com/integrations/./a/../stripe?x=%2e%2e")).isEqualTo(
                "https://app.example.com/integrations/stripe?x=%2e%2e");
    }

    @Test
    void dotSegmentsCannotClimbOutOfThePrefix() {
        for (String escape : new String[] {
                "https://app.example.com/integrations/../admin",
                "https://app.example.com/integrations/%2e%2e/admin",
                "https://app.example.com/integrations/%2E%2E/%2e%2e/admin",
                "https://app.example.com/integrations/.%2e/admin",
                "https://app.example.com/integrations/sub/../../admin",
                "https://app.example.com/integrations\\\\..\\\\admin",
                "https://app.example.com/integrations/ /x",
                "https://app.example.com/integrationsX",
                "https://app.example.com.evil.io/integrations",
                "https://user@app.example.com/integrations"}) {
            assertThat(urls.problemWith(escape)).as(escape).isNotNull();
        }
    }
}
