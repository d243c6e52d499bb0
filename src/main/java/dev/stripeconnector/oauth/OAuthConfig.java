package dev.stripeconnector.oauth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The OAuth flow: how long links live and where people may be sent back to. */
@ConfigMapping(prefix = "connector")
public interface OAuthConfig {

    /** Lifetime of an authorize URL (its OAuth state), from when it is made or its install link is used. */
    @WithDefault("PT10M")
    Duration oauthStateTtl();

    /** Lifetime of an install (setup) link: long enough for a person to get to it. */
    @WithDefault("P7D")
    Duration installLinkTtl();

    /** Allowed {@code returnUrl} prefixes (comma-separated); without any, no returnUrl is accepted. */
    Optional<List<String>> allowedReturnUrls();
}
