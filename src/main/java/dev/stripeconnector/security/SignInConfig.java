package dev.stripeconnector.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How many passwords may be tried for one console user name, counted in PostgreSQL across replicas ({@link SignInAttempts}). */
@ConfigMapping(prefix = "connector.console.sign-in")
public interface SignInConfig {

    /** Passwords checked for one user name within a window; the next is refused unchecked and the name locked. */
    @WithDefault("5")
    int maxGuesses();

    /** How long a window of guesses lasts, from its first guess. */
    @WithDefault("PT15M")
    Duration window();

    /** How long a name stays locked after the failure of its window's last guess (at least until the window ends). */
    @WithDefault("PT15M")
    Duration lockout();
}
