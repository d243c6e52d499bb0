package dev.stripeconnector.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.TestKeys;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connections that never finish their headers, against the packaged application with a short idle
 * timeout and a small connection cap: they cannot take more than the cap, the management port keeps
 * answering while they hold it, and each is closed once it has been idle for the timeout; then the
 * public port serves again. Vert.x has no deadline of its own for reading headers: a client that
 * trickles a byte now and then is the ingress's to cut off (docs/deployment.md).
 */
class SlowClientsIT {

    /** Long enough that opening the connections and one scrape fit well inside it; short enough to wait for. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
    static final int CAP = 20;
    static final int BEYOND_CAP = 5;
    /** How long a socket read may block before the test calls the server's silence a failure (a hang guard, not a bound). */
    static final int NEVER_CLOSED_MILLIS = 60_000;
    static final Pattern CURRENT = Pattern.compile("(?m)^vertx_http_connections_current(?:\\{[^}]*})? ([0-9.E+-]+)$");
    static final Pattern REJECTED = Pattern.compile("(?m)^vertx_http_connections_rejected_total(?:\\{[^}]*})? ([0-9.E+-]+)$");

    static PackagedApp app;

    @BeforeAll
    static void start() throws Exception {
        new PostgresResource().start();
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("QUARKUS_HTTP_IDLE_TIMEOUT", IDLE_TIMEOUT.toString());
        env.put("QUARKUS_HTTP_LIMITS_MAX_CONNECTIONS", Integer.toString(CAP));
        app = PackagedApp.start(env, PackagedApp.freePort()).awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void connectionsThatNeverFinishTheirHeadersAreCappedAndClosedWhileTheManagementPortAnswers() throws Exception {
        double rejectedBefore = metric(REJECTED);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < CAP + BEYOND_CAP; i++) {
                Socket socket = new Socket("127.0.0.1", port());
                socket.setSoTimeout(NEVER_CLOSED_MILLIS);
                // A request line and a header, never the blank line that ends the headers.
                socket.getOutputStream().write(("GET /api/v1/connector HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-" + i + ": ")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
            }

            // While they are open: the server holds exactly the cap, refused the rest, and the management port answers.
            awaitConnectionsAccounted(rejectedBefore);
            assertThat(metric(CURRENT)).as("open connections held by the public port").isEqualTo(CAP);
            assertThat(metric(REJECTED) - rejectedBefore).as("connections refused beyond the cap").isEqualTo(BEYOND_CAP);
            given().baseUri(app.managementUrl()).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

            // Each one is closed by the server, without a byte of answer: none of them ever sent a whole request.
            for (Socket socket : slow) {
                assertThat(readUntilClosed(socket)).as("bytes the server sent before closing a connection without a request").isZero();
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }

        // The cap is free again: an ordinary request is served.
        given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.API_KEY).get("/api/v1/connector")
                .then().statusCode(200);
    }

    static int port() {
        return Integer.parseInt(app.baseUrl().substring(app.baseUrl().lastIndexOf(':') + 1));
    }

    /** The bytes read until the server closed the connection (an orderly close or a reset). */
    static int readUntilClosed(Socket socket) throws IOException {
        int received = 0;
        byte[] buffer = new byte[1024];
        try {
            for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                received += n;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept a connection that never finished its headers open", e);
        } catch (SocketException reset) {
            // Closed by a reset: closed all the same.
        }
        return received;
    }

    /** Waits until the server has taken every connection the test opened: held, or refused at the cap. */
    static void awaitConnectionsAccounted(double rejectedBefore) throws InterruptedException {
        long guard = System.nanoTime() + Duration.ofMillis(NEVER_CLOSED_MILLIS).toNanos();
        while (metric(CURRENT) + metric(REJECTED) - rejectedBefore < CAP + BEYOND_CAP) {
            if (System.nanoTime() > guard) {
                String scraped = given().baseUri(app.managementUrl()).get("/q/metrics").then().extract().asString();
                throw new AssertionError("the server did not take the connections the test opened; its connection metrics:\n"
                        + scraped.lines().filter(l -> l.contains("connection")).reduce("", (a, b) -> a + b + "\n"));
            }
            Thread.sleep(20);
        }
    }

    /** A value from the management port's metrics (0 before the first). */
    static double metric(Pattern metric) {
        String text = given().baseUri(app.managementUrl()).get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = metric.matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
