package dev.stripeconnector.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Stripe, played by WireMock on a random port: both REST clients ({@code stripe-connect} and
 * {@code stripe-api}) and the proxy's upload base ({@link #FILES_HOST}) point at it. Tests get the server with {@link InjectWireMock}.
 */
public class WireMockResource implements QuarkusTestResourceLifecycleManager {

    /** Injects the running {@link WireMockServer} into a test field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectWireMock {
    }

    /** Where the stand-in plays Stripe's files host ({@code files.stripe.com}). */
    public static final String FILES_HOST = "/files-host";

    private static WireMockServer server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            // Default answers (src/test/resources/wiremock/mappings: any secret key belongs to the test platform)
            // come back after every resetAll(); a test's own stubs take precedence.
            server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().globalTemplating(true)
                    .usingFilesUnderClasspath("wiremock"));
            server.start();
        }
        return Map.of(
                "quarkus.rest-client.stripe-connect.url", server.baseUrl(),
                "quarkus.rest-client.stripe-api.url", server.baseUrl(),
                // Stripe's files host, played by the same server under a path of its own, so a test sees where an upload went.
                "connector.stripe.upload-base", server.baseUrl() + FILES_HOST,
                // Short enough for the timeout tests to stay quick.
                "quarkus.rest-client.stripe-connect.read-timeout", "2000",
                "quarkus.rest-client.stripe-api.read-timeout", "2000",
                "connector.stripe.call-deadline", "PT5S",
                "connector.stripe.proxy-deadline", "PT5S");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        // Kept for the whole JVM, like the database.
    }
}
