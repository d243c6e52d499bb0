package dev.stripeconnector.oauth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The OAuth flow: how long links live and where people may be sent back to. */
@ConfigMapping(prefix = "connector")
public interface OAuthConfig {

    /** Lifetime of authorize URLs and setup links (ISO-8601 duration). */
    @WithDefault("PT10M")
    Duration oauthStateTtl();

    /** Allowed {@code returnUrl} prefixes (comma-separated); without any, no returnUrl is accepted. */
    Optional<List<String>> allowedReturnUrls();
}
