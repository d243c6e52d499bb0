package dev.stripeconnector.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged application run as its own process, as in production: the jar
 * ({@code target/quarkus-app/quarkus-run.jar}), or the native executable in a {@code -Dnative} build.
 */
public final class PackagedApp implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    /** Whether this is a {@code -Dnative} build, whose ITs run the native executable. */
    public static boolean isNative() {
        return Boolean.getBoolean("quarkus.native.enabled");
    }

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private PackagedApp(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** The settings a production run needs, pointing at the test database. */
    public static Map<String, String> productionEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", PostgresResource.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("CONNECTOR_API_KEYS", "admin:" + TestKeys.API_KEY + ",reader:" + TestKeys.READER_API_KEY + ",ops:" + TestKeys.OPS_API_KEY);
        env.put("CONNECTOR_ADMIN_KEYS", "ops");
        env.put("CONNECTOR_CREDENTIAL_READERS", "reader");
        env.put("CONNECTOR_ENCRYPTION_KEYS", TestKeys.ENCRYPTION_KEY_1);
        env.put("CONNECTOR_SERVICE_DOMAIN", TestKeys.SERVICE_DOMAIN);
        env.put("CONNECTOR_STRIPE_WEBHOOK_SECRETS", TestKeys.WEBHOOK_SECRET);
        env.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", TestKeys.SESSION_KEY);
        // RestAssured leaves each connection open until the idle timeout (ServiceSettingsResource says why).
        env.put("QUARKUS_HTTP_LIMITS_MAX_CONNECTIONS", ServiceSettingsResource.MAX_CONNECTIONS);
        return env;
    }

    /**
     * Production settings on {@code jdbcUrl}, with Stripe at {@code stripeUrl}, event receivers on this machine allowed,
     * deliveries looked for and retried within a fraction of a second, and no retention purge.
     */
    public static Map<String, String> deliveringEnvironment(String jdbcUrl, String stripeUrl) {
        Map<String, String> env = productionEnvironment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("QUARKUS_REST_CLIENT_STRIPE_CONNECT_URL", stripeUrl);
        env.put("QUARKUS_REST_CLIENT_STRIPE_API_URL", stripeUrl);
        env.put("CONNECTOR_EVENTS_ALLOWED_HOSTS", "127.0.0.1");
        env.put("CONNECTOR_EVENTS_POLL_INTERVAL", "PT0.2S");
        env.put("CONNECTOR_EVENTS_FIRST_RETRY", "PT0.2S");
        env.put("CONNECTOR_RETENTION_EVERY", "off");
        return env;
    }

    /**
     * Starts the jar with exactly {@code env} as its CONNECTOR_/QUARKUS_ settings, on {@code port}, with
     * its management interface (health, metrics) on a free port of its own.
     */
    public static PackagedApp start(Map<String, String> env, int port) throws IOException {
        int managementPort = freePort();
        List<String> command = new ArrayList<>();
        if (isNative()) {
            command.add(System.getProperty("native.image.path"));
        } else {
            command.add(ProcessHandle.current().info().command().orElse("java"));
        }
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        // As the container image runs it (src/main/docker/Dockerfile.jvm).
        command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        command.add("-Dquarkus.management.host=127.0.0.1");
        command.add("-Dquarkus.management.port=" + managementPort);
        if (!isNative()) {
            command.add("-jar");
            command.add(JAR.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("CONNECTOR_") || k.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        Path log = Files.createTempFile("packaged-app", ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new PackagedApp(builder.start(), port, managementPort, log);
    }

    /** Ports this JVM handed out already: the system may offer a just-released port again before its taker binds it. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A port nothing listens on now and that this JVM has not handed out before (two calls never give the same one). */
    public static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    /** {@link #freePort()} where a checked exception cannot go (a static initializer, a test resource). */
    public static int freePortOrFail() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The management interface: health and metrics, never on the public port. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** Waits until the instance reports ready, or fails with its log. */
    public PackagedApp awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The application exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("The application did not become ready in " + timeout + ":\n" + log());
    }

    /** Waits for the process to exit on its own; its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The application did not exit");
        }
        return process.exitValue();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Kills the process at once (SIGKILL), as a node failure or an OOM kill would: nothing of it runs on. */
    public void crash() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
