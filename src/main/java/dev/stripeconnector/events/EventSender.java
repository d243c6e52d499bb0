package dev.stripeconnector.events;

import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.observability.TraceContexts;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one signed delivery. The receiver's URL passes {@link ReceiverPolicy} again, its host is
 * resolved now and every address checked, and the request goes to the checked address (TLS still
 * verifies the host name, sent as SNI). Redirects are not followed; only a 2xx answer counts, and the
 * status line decides: the answer's body is read (at most {@link #MAX_ANSWER_BODY}, within the
 * timeout) and dropped, never kept, and a longer, slower or broken body closes the connection without
 * changing the outcome. The request carries the delivery attempt's {@code traceparent} when tracing is on. Blocking:
 * the delivery worker calls it on a virtual thread.
 */
@ApplicationScoped
public class EventSender {

    static final String USER_AGENT = "stripe-connector-events/1";
    /** The most of an answer's body read before the connection is closed (nothing in it is used). */
    static final int MAX_ANSWER_BODY = 64 * 1024;
    private static final int MAX_ERROR = DeliveryAttempt.MAX_ERROR;

    private final HttpClient client;
    private final ReceiverPolicy policy;
    private final ReceiverAddresses addresses;
    private final Duration timeout;

    EventSender(Vertx vertx, ReceiverPolicy policy, ReceiverAddresses addresses, EventsConfig config) {
        this.policy = policy;
        this.addresses = addresses;
        this.timeout = config.requestTimeout();
        this.client = vertx.httpClientBuilder().with(new HttpClientOptions()
                        .setConnectTimeout((int) Math.min(timeout.toMillis(), 5000))
                        .setKeepAlive(false)
                        .setVerifyHost(true)
                        .setTrustAll(false)
                        .setForceSni(true)
                        .setDecompressionSupported(false)
                        // The delivery worker's span is the attempt's; this sends its traceparent itself (below).
                        .setTracingPolicy(TracingPolicy.IGNORE))
                // Connections at once per receiver address (the builder's own default is 5): at least one subscription's
                // share, so that a share is never cut by the pool, and room for other subscriptions at the same address.
                .with(new PoolOptions().setHttp1MaxSize(Math.max(64, config.concurrency())))
                // A connection's failure (a reset, a broken answer) reaches its request too, which records it as the
                // attempt's outcome; without a handler here Vert.x would also log it as an ERROR, once per attempt.
                .withConnectHandler(connection -> connection.exceptionHandler(failure -> { }))
                .build();
    }

    @PreDestroy
    void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
    }

    /** What one attempt came to: the receiver's status, or why there was none. */
    public record Outcome(Integer status, String error, long durationMillis) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    public Outcome send(String url, String eventId, String type, byte[] body, List<Secret> secrets) {
        long started = System.nanoTime();
        Exchange exchange = new Exchange();
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
            // The attempt's trace context (the signature covers the time and the body, so the header does not change it).
            TraceContexts.propagate(options::putHeader);
            client.request(options).onComplete(requested -> exchange.send(requested, Buffer.buffer(body)));
            int status = exchange.status(timeout);
            return new Outcome(status, status >= 200 && status < 300 ? null : answered(status), elapsed(started));
        } catch (ReceiverPolicy.Refused refused) {
            return new Outcome(null, bounded("refused: the URL " + refused.getMessage()), elapsed(started));
        } catch (UnknownHostException unknown) {
            return new Outcome(null, bounded("the receiver's host does not resolve"), elapsed(started));
        } catch (TimeoutException slow) {
            return new Outcome(null, "no answer within " + timeout.toMillis() + " ms", elapsed(started));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            exchange.abandon();
            return new Outcome(null, "the service was stopping", elapsed(started));
        } catch (ExecutionException failure) {
            return new Outcome(null, bounded(describe(failure.getCause())), elapsed(started));
        } catch (RuntimeException failure) {
            return new Outcome(null, bounded(describe(failure)), elapsed(started));
        }
    }

    /**
     * One request and its answer, on the event loop: the status once the answer's head has come, the body
     * read and dropped until it ends, breaks or passes {@link #MAX_ANSWER_BODY}. Every failure ends here
     * (a handler for each), so none is left for Vert.x to log as unhandled.
     */
    private static final class Exchange {
        private final CompletableFuture<Integer> answer = new CompletableFuture<>();
        /** The status line's code once it has come; 0 before. */
        private final AtomicInteger status = new AtomicInteger();
        private final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        private volatile boolean abandoned;

        void send(AsyncResult<HttpClientRequest> requested, Buffer body) {
            if (requested.failed()) {
                answer.completeExceptionally(requested.cause());
                return;
            }
            HttpClientRequest sent = requested.result();
            sent.exceptionHandler(answer::completeExceptionally);
            request.set(sent);
            if (abandoned) {
                // The attempt was given up while the connection was being made: send nothing.
                sent.reset();
                return;
            }
            sent.send(body).onComplete(responded -> {
                if (responded.failed()) {
                    answer.completeExceptionally(responded.cause());
                    return;
                }
                HttpClientResponse response = responded.result();
                int code = response.statusCode();
                status.set(code);
                long[] read = {0};
                // The status line is the receiver's answer: a body that breaks off afterwards does not change it.
                response.exceptionHandler(broken -> answer.complete(code));
                response.handler(chunk -> {
                    read[0] += chunk.length();
                    if (read[0] > MAX_ANSWER_BODY && answer.complete(code)) {
                        sent.reset();
                    }
                });
                response.endHandler(end -> answer.complete(code));
            });
        }

        /** The receiver's status, waiting at most {@code timeout}; the connection is closed if the answer is not complete by then. */
        int status(Duration timeout) throws TimeoutException, InterruptedException, ExecutionException {
            try {
                return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException slow) {
                return late(slow);
            } catch (ExecutionException failed) {
                // The request's idle timeout has the same length and may fire first (Vert.x's timer, on the event loop):
                // the same "no answer in time", not a failure of another kind.
                if (failed.getCause() instanceof TimeoutException idle) {
                    return late(idle);
                }
                throw failed;
            }
        }

        private int late(TimeoutException slow) throws TimeoutException {
            abandon();
            int code = status.get();
            if (code == 0) {
                throw slow;
            }
            // The status came in time, the rest of the body did not.
            return code;
        }

        void abandon() {
            abandoned = true;
            HttpClientRequest sent = request.get();
            if (sent != null) {
                sent.reset();
            }
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
        if (root instanceof java.io.IOException && root.getMessage() != null
                && root.getMessage().toLowerCase(Locale.ROOT).contains("connection reset")) {
            return "the receiver reset the connection";
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
