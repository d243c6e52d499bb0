package dev.stripeconnector.stripe;

import dev.stripeconnector.common.CallerLeft;
import dev.stripeconnector.common.ProxyRoutes;
import dev.stripeconnector.crypto.Secret;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Forwards a request to Stripe's API for a connected account, injecting the platform's secret key
 * and {@code Stripe-Account}. It talks to two fixed base URLs (the configured Stripe API, and Stripe's
 * files host for file uploads and downloads), builds the path itself from a validated {@code /v1/...} path and follows
 * no redirect, so a caller cannot make it reach anything else. Bodies (forms, multipart uploads) pass
 * through as raw bytes, never decoded.
 *
 * <p>Stripe's answers come back as they are, except that {@link StripeRetry}'s policy may send a
 * request again first: GETs and POSTs with an {@code Idempotency-Key} on 429, 5xx or no answer
 * (as {@code Stripe-Should-Retry} allows); other requests only when they provably never left.
 * Vert.x's HTTP client sends each attempt once, so Stripe sees at most
 * {@value StripeRetry#MAX_ATTEMPTS} requests, all within {@code connector.stripe.proxy-deadline}.
 *
 * <p>The retry decision is taken on the status and headers. An error answer (4xx, 5xx, or one Stripe
 * says to retry) is small and is read whole, so that it can be classified and passed on or retried. Any
 * other answer (a list, a file's contents) is streamed: its body is passed on chunk by chunk as the
 * caller takes it (Stripe is read only as fast as the caller reads), never held whole, with no size
 * limit; the deadline covers the time to Stripe's headers and the attempt's timeout each wait for
 * the next chunk (a caller that does not read for that long is cut off too). A caller that stops reading (goes away) cancels the stream, which resets the request
 * to Stripe.
 */
@ApplicationScoped
public class StripeApiProxy {

    private static final Logger LOG = Logger.getLogger(StripeApiProxy.class);

    /** Path segments of Stripe's API: ids and names of letters, digits, '_' and '-'. */
    static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*/?");
    public static final List<String> FORWARDED_REQUEST_HEADERS = List.of("Content-Type", "Idempotency-Key", "Stripe-Version", "Accept-Language");
    static final List<String> RETURNED_RESPONSE_HEADERS = List.of(
            "Content-Type", "Request-Id", "Stripe-Should-Retry", "Retry-After", "Idempotent-Replayed", "Stripe-Version");

    private final Vertx vertx;
    private final HttpClientOptions clientOptions;
    /**
     * One client per event loop: a client opens its connections on the event loop that asks for
     * one, so with its own client an event loop gets back connections of its own, and a request,
     * its connection to Stripe and the answer stay on one thread. A connection of another event
     * loop costs a hand-over between threads at each step (measured: ~8 % of the proxy's CPU).
     */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    /** For a call from any other thread. */
    private final HttpClient shared;
    private final StripeRetry retry;
    private final StripeConfig config;
    private final String baseUrl;
    private final String uploadBaseUrl;
    private final long attemptTimeoutMillis;
    @jakarta.inject.Inject
    StripeMetrics metrics;

    StripeApiProxy(Vertx vertx, StripeRetry retry, StripeConfig config,
                   @ConfigProperty(name = "quarkus.rest-client.stripe-api.url") String apiUrl,
                   @ConfigProperty(name = "quarkus.rest-client.stripe-api.connect-timeout", defaultValue = "5000") int connectTimeoutMillis,
                   @ConfigProperty(name = "quarkus.rest-client.stripe-api.read-timeout", defaultValue = "15000") long readTimeoutMillis) {
        this.vertx = vertx;
        this.retry = retry;
        this.config = config;
        this.baseUrl = withoutSlash(apiUrl);
        this.uploadBaseUrl = withoutSlash(config.uploadBase().toString());
        this.attemptTimeoutMillis = readTimeoutMillis;
        // Kept-alive connections, at most 64 per event loop.
        this.clientOptions = new HttpClientOptions()
                .setConnectTimeout(connectTimeoutMillis)
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setVerifyHost(true)
                .setTrustAll(false)
                .setDecompressionSupported(false);
        this.shared = vertx.createHttpClient(clientOptions);
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @PreDestroy
    void close() {
        clients.values().forEach(HttpClient::closeAndAwait);
        shared.closeAndAwait();
    }

    private HttpClient client() {
        return io.vertx.core.Context.isOnEventLoopThread()
                ? clients.computeIfAbsent(Thread.currentThread(), eventLoop -> vertx.createHttpClient(clientOptions))
                : shared;
    }

    /**
     * Stripe's answer, passed back as it came: status, the headers worth returning, and the raw body as it
     * arrives (one chunk for an error answer, read whole). The body can be subscribed to once.
     */
    public record Answer(int status, Map<String, List<String>> headers, Multi<byte[]> body) {
    }

    /** Whether {@code rawPath} (after {@code /v1/}) is a plain Stripe API path. */
    public static boolean isSafePath(String rawPath) {
        return rawPath != null && rawPath.length() <= 512 && SAFE_PATH.matcher(rawPath).matches();
    }

    /** Forwards one request; fails with a {@link StripeFailure} only when Stripe gave no answer at all. */
    public Uni<Answer> forward(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
                               Secret secretKey, String stripeAccount) {
        // The path is a checked plain path and the query came out of a parsed URI: the string is a valid URI as it is.
        String base = ProxyRoutes.isFilesHost(method, rawPath) ? uploadBaseUrl : baseUrl;
        String uri = base + "/v1/" + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        boolean idempotent = method.equals("GET")
                || (method.equals("POST") && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Idempotency-Key")));
        StripeRetry.Resend resend = idempotent ? StripeRetry.Resend.SAFE : StripeRetry.Resend.IF_NOT_SENT;
        // The body wrapped once, not copied: every attempt sends the same bytes (an upload is up to 32 MB), and Vert.x
        // writes a view of the buffer, so a resend finds it whole.
        Buffer sent = body == null || body.length == 0 ? null
                : Buffer.newInstance(io.vertx.core.buffer.Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(body)));
        return metrics.proxied(retry.call(() -> attempt(method, uri, headers, sent, secretKey, stripeAccount), resend, config.proxyDeadline())
                .onFailure(RetriableAnswer.class).recoverWithItem(failure -> ((RetriableAnswer) failure).answer))
                .onFailure().invoke(failure -> LOG.warnf("Stripe API did not answer the proxy (%s)", ((StripeFailure) failure).code()));
    }

    private Uni<Answer> attempt(String method, String uri, Map<String, String> headers, Buffer body, Secret secretKey, String stripeAccount) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(method))
                .setAbsoluteURI(uri)
                .setFollowRedirects(false)
                .setIdleTimeout(attemptTimeoutMillis);
        headers.forEach(options::putHeader);
        options.putHeader("Authorization", "Bearer " + secretKey.reveal());
        options.putHeader("Stripe-Account", stripeAccount);
        return client().request(options)
                .flatMap(request -> (body == null ? request.send() : request.send(body))
                        .flatMap(response -> {
                            Map<String, List<String>> returned = returnedHeaders(response, secretKey);
                            int status = response.statusCode();
                            String shouldRetry = first(returned, "Stripe-Should-Retry");
                            boolean retriable = status == 429 || status >= 500 || "true".equalsIgnoreCase(shouldRetry);
                            if (!retriable && status < 400) {
                                return Uni.createFrom().item(new Answer(status, returned, streamed(request, response, secretKey)));
                            }
                            return whole(response, secretKey).map(all -> {
                                Answer answer = new Answer(status, returned, Multi.createFrom().item(all));
                                if (!retriable) {
                                    return answer;
                                }
                                // A retriable answer travels as a failure through the policy, and comes back as itself if no attempt is left.
                                throw new RetriableAnswer(StripeAnswers.apiError(status, null, first(returned, "Retry-After"), shouldRetry), answer);
                            });
                        }));
    }

    private static Map<String, List<String>> returnedHeaders(HttpClientResponse response, Secret secretKey) {
        Map<String, List<String>> returned = new LinkedHashMap<>();
        for (String name : RETURNED_RESPONSE_HEADERS) {
            List<String> values = response.headers().getAll(name);
            if (!values.isEmpty()) {
                returned.put(name, values.stream().map(value -> masked(value, secretKey)).toList());
            }
        }
        return returned;
    }

    /**
     * The body as it arrives, masked across chunk boundaries, read only as fast as it is asked for. A
     * subscriber that cancels (the caller went away) resets the request, so that Stripe's connection is
     * not left half-read; the stream then fails with {@link CallerLeft}, which Quarkus REST still logs and
     * {@link dev.stripeconnector.common.ExpectedNoise} drops.
     */
    private Multi<byte[]> streamed(HttpClientRequest request, HttpClientResponse response, Secret secretKey) {
        response.pause();
        KeyMask mask = new KeyMask(secretKey);
        // Set before the reset below, which fails the stream at once: that failure is the caller's leaving, not Stripe's.
        java.util.concurrent.atomic.AtomicBoolean callerLeft = new java.util.concurrent.atomic.AtomicBoolean();
        return response.toMulti()
                .map(chunk -> mask.next(chunk.getBytes()))
                .onCompletion().continueWith(() -> List.of(mask.rest()))
                .filter(bytes -> bytes.length > 0)
                // The wait for each next chunk is bounded like the wait for the headers (the overall deadline ended there).
                .ifNoItem().after(java.time.Duration.ofMillis(attemptTimeoutMillis)).fail()
                // Before the first chunk this is still the caller's answer (a 502 problem); after it, the connection is cut.
                // Said in words: an exception's name in an answer is a leak of how the service is built.
                .onFailure().transform(failure -> callerLeft.get() ? new CallerLeft()
                        : StripeAnswers.nonsense(failure instanceof io.smallrye.mutiny.TimeoutException
                                ? "a body that stopped arriving for " + attemptTimeoutMillis + " ms" : "a body that broke off"))
                .onCancellation().invoke(() -> {
                    callerLeft.set(true);
                    request.reset();
                });
    }

    /** An error answer's body, read whole (it is small) and refused beyond the configured limit. */
    private Uni<byte[]> whole(HttpClientResponse response, Secret secretKey) {
        int limit = config.proxyMaxResponseBytes();
        String length = response.getHeader("Content-Length");
        if (length != null && !length.isEmpty() && length.length() < 12 && length.chars().allMatch(Character::isDigit)
                && Long.parseLong(length) > limit) {
            return Uni.createFrom().failure(tooLarge(limit));
        }
        return body(response.getDelegate(), limit).map(all -> masked(all.getBytes(), secretKey));
    }

    /** The body, gathered as it arrives into one buffer and refused once it grows beyond {@code limit} bytes. */
    private static Uni<io.vertx.core.buffer.Buffer> body(io.vertx.core.http.HttpClientResponse response, int limit) {
        return Uni.createFrom().emitter(emitter -> {
            io.vertx.core.buffer.Buffer all = io.vertx.core.buffer.Buffer.buffer();
            response.exceptionHandler(emitter::fail);
            response.handler(chunk -> {
                if (all.length() + chunk.length() > limit) {
                    // The rest is read and dropped, so that the connection stays usable.
                    response.handler(ignored -> { });
                    response.endHandler(null);
                    emitter.fail(tooLarge(limit));
                } else {
                    all.appendBuffer(chunk);
                }
            });
            response.endHandler(ignored -> emitter.complete(all));
        });
    }

    private static StripeFailure tooLarge(int limit) {
        return StripeAnswers.nonsense("a response body larger than " + limit / (1024 * 1024) + " MiB");
    }

    /**
     * Stripe's answer with the platform's key masked, should Stripe ever quote it: the key is
     * injected here so that the calling service never holds it, and it must not come back either.
     */
    static byte[] masked(byte[] body, Secret secretKey) {
        byte[] key = secretKey.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = indexOf(body, key, 0);
        if (at < 0) {
            return body;
        }
        byte[] mask = StripeAnswers.maskKey(secretKey.reveal()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length);
        int from = 0;
        while (at >= 0) {
            out.write(body, from, at - from);
            out.write(mask, 0, mask.length);
            from = at + key.length;
            at = indexOf(body, key, from);
        }
        out.write(body, from, body.length - from);
        return out.toByteArray();
    }

    static String masked(String value, Secret secretKey) {
        String key = secretKey.reveal();
        return value.contains(key) ? value.replace(key, StripeAnswers.maskKey(key)) : value;
    }

    private static int indexOf(byte[] body, byte[] key, int from) {
        outer:
        for (int i = from; i <= body.length - key.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (body[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String first(Map<String, List<String>> headers, String header) {
        List<String> values = headers.get(header);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Masks the platform's key in a body that arrives in chunks: the last key-length − 1 bytes of what came
     * are held back until the next chunk (or the end), so a key split over two chunks is still found whole.
     */
    static final class KeyMask {
        private final Secret secretKey;
        private final int keep;
        private byte[] held = new byte[0];

        KeyMask(Secret secretKey) {
            this.secretKey = secretKey;
            this.keep = secretKey.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8).length - 1;
        }

        /** What can be passed on of what came so far, masked; the rest is held for the next chunk. */
        byte[] next(byte[] chunk) {
            byte[] data = new byte[held.length + chunk.length];
            System.arraycopy(held, 0, data, 0, held.length);
            System.arraycopy(chunk, 0, data, held.length, chunk.length);
            byte[] key = secretKey.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            // Past the end of the last whole key, only a key's beginning can be cut: hold the bytes where one might start.
            int lastEnd = 0;
            for (int at = indexOf(data, key, 0); at >= 0; at = indexOf(data, key, at + key.length)) {
                lastEnd = at + key.length;
            }
            int passOn = Math.max(lastEnd, data.length - keep);
            held = java.util.Arrays.copyOfRange(data, passOn, data.length);
            return masked(java.util.Arrays.copyOf(data, passOn), secretKey);
        }

        /** What was held back, at the end of the body: shorter than the key, so nothing to mask. */
        byte[] rest() {
            byte[] rest = held;
            held = new byte[0];
            return rest;
        }
    }

    /** A 429 or 5xx answer on its way through the retry policy. */
    private static final class RetriableAnswer extends StripeFailure {
        private final Answer answer;

        RetriableAnswer(StripeFailure classified, Answer answer) {
            super(classified.kind(), classified.code(), null, classified.getMessage(), classified.retryAfter(),
                    classified.shouldRetry() == null ? Boolean.TRUE : classified.shouldRetry(), true);
            this.answer = answer;
        }
    }
}
