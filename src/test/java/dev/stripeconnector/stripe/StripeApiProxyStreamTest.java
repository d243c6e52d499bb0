package dev.stripeconnector.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.crypto.Secret;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A streamed answer whose reader goes away: the request to Stripe is reset, not left open and half-read.
 * The stand-in for Stripe is a plain socket, so that it sees its connection cut.
 */
class StripeApiProxyStreamTest {

    /** More than any stream here is read: the stand-in stops once its writes fail, or after these. */
    static final int MAX_CHUNKS = 2000;

    @Test
    void aCancelledStreamResetsTheRequestToStripe() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch cut = new CountDownLatch(1);
            AtomicInteger sent = new AtomicInteger();
            Thread standIn = new Thread(() -> serveEndlessly(server, sent, cut), "stripe-stand-in");
            standIn.setDaemon(true);
            standIn.start();
            StripeApiProxy proxy = proxy(vertx, server, 60_000);
            try {
                StripeApiProxy.Answer answer = streamedAnswer(proxy);
                // The caller takes one chunk and goes away (as Quarkus REST cancels when the caller's connection closes).
                byte[] first = answer.body().select().first().toUni().await().atMost(Duration.ofSeconds(10));
                assertThat(new String(first, StandardCharsets.US_ASCII)).startsWith("chunk-");
                assertThat(cut.await(30, TimeUnit.SECONDS)).as("the stand-in's connection was cut").isTrue();
                assertThat(sent.get()).isLessThan(MAX_CHUNKS);
            } finally {
                proxy.close();
            }
        } finally {
            vertx.closeAndAwait();
        }
    }

    @Test
    void aBodyThatStallsAfterItsFirstChunkFailsAfterTheAttemptTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch done = new CountDownLatch(1);
            Thread standIn = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    readHead(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5\r\n{\"a\":\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // Then nothing, until the test is over.
                    done.await(30, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException ignored) {
                    // The test decides.
                }
            }, "stripe-stand-in");
            standIn.setDaemon(true);
            standIn.start();
            StripeApiProxy proxy = proxy(vertx, server, 500);
            try {
                StripeApiProxy.Answer answer = streamedAnswer(proxy);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> answer.body().collect().asList().await().atMost(Duration.ofSeconds(20)))
                        .isInstanceOf(StripeFailure.class).hasMessageContaining("stopped arriving for 500 ms");
            } finally {
                done.countDown();
                proxy.close();
            }
        } finally {
            vertx.closeAndAwait();
        }
    }

    /** The proxy, pointed at the stand-in, with {@code attemptTimeoutMillis} as each attempt's timeout. */
    private static StripeApiProxy proxy(Vertx vertx, ServerSocket server, long attemptTimeoutMillis) {
        StripeConfig config = StripeRetryTest.config(Duration.ofSeconds(10));
        StripeApiProxy proxy = new StripeApiProxy(vertx, new StripeRetry(config), config, "http://127.0.0.1:" + server.getLocalPort(), 5000,
                attemptTimeoutMillis);
        proxy.metrics = new StripeMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        return proxy;
    }

    /** A GET through the proxy: the stand-in's 200, its body still to come. */
    private static StripeApiProxy.Answer streamedAnswer(StripeApiProxy proxy) {
        StripeApiProxy.Answer answer = proxy.forward("GET", "customers", null, Map.of(), null,
                Secret.of("sk_test_StreamKey01"), "acct_Stream01").await().atMost(Duration.ofSeconds(10));
        assertThat(answer.status()).isEqualTo(200);
        return answer;
    }

    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return true;
    }

    /** Answers one request with a chunked body that does not end; counts the chunks sent until a write fails. */
    private static void serveEndlessly(ServerSocket server, AtomicInteger sent, CountDownLatch cut) {
        try (Socket socket = server.accept()) {
            // The request's head, up to its blank line (a GET has no body).
            if (!readHead(socket.getInputStream())) {
                return;
            }
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String chunk = "chunk-" + "x".repeat(1018);
            for (int i = 0; i < MAX_CHUNKS; i++) {
                out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sent.incrementAndGet();
                // Paced, so that the stream is still going when the reader goes away.
                Thread.sleep(10);
            }
        } catch (IOException cutOff) {
            cut.countDown();
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }
}
