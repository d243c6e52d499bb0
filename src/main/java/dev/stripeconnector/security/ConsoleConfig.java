package dev.stripeconnector.security;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The console's first users, created at start-up when no user of that name exists yet. */
@ConfigMapping(prefix = "connector.console")
public interface ConsoleConfig {

    /** Partner default's first administrator's user name. */
    Optional<String> adminUsername();

    /** The first administrator's password (at least 12 characters); used once, stored only as a bcrypt hash. */
    Optional<String> adminPassword();

    /** The first operator's user name (the operators' console, on the service's own domain). */
    Optional<String> operatorUsername();

    /** The first operator's password (at least 12 characters); used once, stored only as a bcrypt hash. */
    Optional<String> operatorPassword();
}
