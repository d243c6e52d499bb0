package dev.stripeconnector.security;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** Who may call the API. */
@ConfigMapping(prefix = "connector")
public interface SecurityConfig {

    /** Keys accepted on {@code /api/**}: comma-separated {@code name:key} pairs; the name is what audit records show. */
    Optional<String> apiKeys();

    /** Names of the API keys allowed to read credentials (role credentials-reader). */
    Optional<List<String>> credentialReaders();

    /** Names of the API keys allowed to administer (role admin): maintenance operations. */
    Optional<List<String>> adminKeys();
}
