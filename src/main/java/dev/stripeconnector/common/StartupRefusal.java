package dev.stripeconnector.common;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A setting the service cannot run without is missing or malformed. Thrown while the
 * application starts; Quarkus prints a configuration problem as its message alone, so the
 * operator sees one clear line. The message never contains the offending value, which may be
 * a secret.
 */
public class StartupRefusal extends ConfigurationException {

    public StartupRefusal(String message) {
        super("Refusing to start: " + message);
    }
}
