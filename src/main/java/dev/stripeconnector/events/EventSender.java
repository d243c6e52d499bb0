package dev.stripeconnector.events;

import dev.stripeconnector.crypto.Secret;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one signed delivery. The receiver's URL passes {@link ReceiverPolicy} again, its host is
 * resolved now and every address checked, and the request goes to the checked address (TLS still
 * verifies the host name, sent as SNI). Redirects are not followed; only a 2xx answer counts. The
 * answer's body is read and dropped, never kept. Blocking: the delivery worker calls it on a
 * virtual thread.
 */
@ApplicationScoped
public class EventSender {

    static final String USER_AGENT = "stripe-connector-events/1";
    private static final int MAX_ERROR = DeliveryAttempt.MAX_ERROR;

    private final HttpClient client;
    private final ReceiverPolicy policy;
    private final ReceiverAddresses addresses;
    private final Duration timeout;

    EventSender(Vertx vertx, ReceiverPolicy policy, ReceiverAddresses addresses, EventsConfig config) {
        this.policy = policy;
        this.addresses = addresses;
        this.timeout = config.requestTimeout();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 5000))
                .setKeepAlive(false)
                .setVerifyHost(true)
                .setTrustAll(false)
                .setForceSni(true)
                .setMaxPoolSize(64)
                .setDecompressionSupported(false));
    }

    @PreDestroy
    void close() {
        client.closeAndAwait();
    }

    /** What one attempt came to: the receiver's status, or why there was none. */
    public record Outcome(Integer status, String error, long durationMillis) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    public Outcome send(String url, String eventId, String type, byte[] body, List<Secret> secrets) {
        long started = System.nanoTime();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        try {
            ReceiverPolicy.Receiver receiver = policy.parse(url);
            InetAddress address = receiver.address(addresses);
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, receiver.port())))
                    .setHost(receiver.host())
                    .setPort(receiver.port())
                    .setSsl(receiver.https())
                    .setURI(receiver.target())
                    .setFollowRedirects(false)
                    .setIdleTimeout(timeout.toMillis())
                    .putHeader("Content-Type", "application/json")
                    .putHeader("User-Agent", USER_AGENT)
                    .putHeader(EventSignature.EVENT_ID_HEADER, eventId)
                    .putHeader(EventSignature.EVENT_TYPE_HEADER, type)
                    .putHeader(EventSignature.HEADER, EventSignature.header(Instant.now().getEpochSecond(), body, secrets));
            int status = client.request(options)
                    .invoke(sent::set)
                    .flatMap(request -> request.send(Buffer.buffer(body)))
                    .flatMap(response -> response.end().replaceWith(response.statusCode()))
                    .await().atMost(timeout);
            return new Outcome(status, status >= 200 && status < 300 ? null : answered(status), elapsed(started));
        } catch (ReceiverPolicy.Refused refused) {
            return new Outcome(null, bounded("refused: the URL " + refused.getMessage()), elapsed(started));
        } catch (UnknownHostException unknown) {
            return new Outcome(null, bounded("the receiver's host does not resolve"), elapsed(started));
        } catch (io.smallrye.mutiny.TimeoutException slow) {
            HttpClientRequest request = sent.get();
            if (request != null) {
                request.reset();
            }
            return new Outcome(null, "no answer within " + timeout.toMillis() + " ms", elapsed(started));
        } catch (RuntimeException failure) {
            return new Outcome(null, bounded(describe(failure)), elapsed(started));
        }
    }

    private static String answered(int status) {
        return status >= 300 && status < 400 ? "answered HTTP " + status + " (redirects are not followed)" : "answered HTTP " + status;
    }

    /** What went wrong on the wire, in a few words (never a header, a body or an exception's class). */
    static String describe(Throwable failure) {
        Throwable root = failure;
        javax.net.ssl.SSLException tls = null;
        for (int depth = 0; depth < 20; depth++) {
            if (root instanceof javax.net.ssl.SSLException ssl) {
                tls = ssl;
            }
            if (root.getCause() == null || root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        if (tls != null) {
            // The innermost TLS failure says why (an untrusted certificate, a name that does not match…).
            return "TLS failed" + (tls.getMessage() == null ? "" : ": " + tls.getMessage());
        }
        String type = root.getClass().getName();
        if (type.endsWith("ConnectTimeoutException")) {
            return "the connection timed out";
        }
        if (root instanceof java.net.ConnectException) {
            return "the connection was refused";
        }
        if (type.contains("Closed") || root instanceof java.io.IOException) {
            return "the receiver closed the connection";
        }
        return "the request failed";
    }

    private static String bounded(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= MAX_ERROR ? clean : clean.substring(0, MAX_ERROR - 1) + "…";
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
