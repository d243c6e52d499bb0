package dev.stripeconnector.security;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** Who may call the API. */
@ConfigMapping(prefix = "connector")
public interface SecurityConfig {

    /** Partner default's keys on {@code /api/**}: comma-separated {@code name:key} pairs; the name is what audit records show. */
    Optional<String> apiKeys();

    /** Names of the API keys allowed to read credentials (role credentials-reader). */
    Optional<List<String>> credentialReaders();

    /** Names of the API keys allowed to administer (roles admin and maintenance): console users, subscriptions, maintenance. */
    Optional<List<String>> adminKeys();

    /** The operators' keys ({@code name:key} pairs, optional): partners, their keys, and maintenance; no partner's data. */
    Optional<String> operatorKeys();
}
