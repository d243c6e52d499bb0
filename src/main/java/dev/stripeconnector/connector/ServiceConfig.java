package dev.stripeconnector.connector;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Where the service is reached from the outside, which fixes the redirect URI registered at Stripe. */
@ConfigMapping(prefix = "connector")
public interface ServiceConfig {

    /** The service's public host name, e.g. {@code integrations.example.com}. */
    Optional<String> serviceDomain();

    /** Overrides {@code https://{service domain}}, e.g. {@code http://localhost:8080} for local runs. */
    Optional<String> publicBaseUrl();
}
