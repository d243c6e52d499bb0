package dev.stripeconnector.support;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The management interface (health, metrics) of the application under test, on the port it really
 * listens on. In-process tests bind it to a free port ({@code quarkus.management.test-port=0}), and
 * Quarkus publishes the bound one under that key; the packaged-jar ITs give the jar a port found free at
 * run time ({@code quarkus.management.port}, from {@link ServiceSettingsResource}).
 * {@code @TestHTTPResource(management = true)} knows only the first case, so tests that also run
 * against the packaged jar ask here.
 */
public final class Management {

    private Management() {
    }

    /** {@code path} under {@code /q}, e.g. {@code /health/ready}. */
    public static URL url(String path) {
        Config config = ConfigProvider.getConfig();
        int port = config.getOptionalValue("quarkus.management.test-port", Integer.class).filter(p -> p > 0)
                .orElseGet(() -> config.getValue("quarkus.management.port", Integer.class));
        String host = config.getOptionalValue("quarkus.management.host", String.class).orElse("127.0.0.1");
        try {
            return URI.create("http://" + host + ":" + port + "/q" + path).toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path, e);
        }
    }
}
