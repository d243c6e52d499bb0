package dev.stripeconnector.common;

import dev.stripeconnector.stripe.StripeConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What the HTTP layer refuses before a request reaches a resource, always as
 * {@code application/problem+json}:
 * <ul>
 * <li>a request URI that is not a valid URI (a malformed query string, say) (400);</li>
 * <li>a request line over {@value #MAX_URI_LENGTH} characters (414) or headers over
 *     {@value #MAX_HEADER_BYTES} bytes (431);</li>
 * <li>a multipart or form body on {@code /api/**} or {@code /webhooks/**} but the Stripe proxy's routes
 *     ({@link ProxyRoutes}) (415), refused before a byte of it is read or decoded: the API speaks JSON, and
 *     only the proxy passes Stripe's form and multipart bodies through, as raw bytes;</li>
 * <li>a body over 64 KiB (Stripe webhooks: 1 MiB; a file upload through the proxy: Stripe's own limit of
 *     {@value #MAX_UPLOAD_FILE_MB} MB for a file, plus the form around it), whether its length is declared or
 *     it is chunked (413); a chunked body is read here, up to the limit, and handed on whole (but the console's
 *     sign-in form, which Quarkus' form authentication reads itself, and a file upload, below);</li>
 * <li>a file upload without {@code Content-Length} (411), and one beyond {@code connector.stripe.uploads-in-flight}
 *     uploads in flight on the pod (429, {@code Retry-After: 1}), both before a byte of it is read;</li>
 * <li>a chunked body whose framing breaks (400), answered before Vert.x closes the connection,
 *     whoever reads it;</li>
 * <li>anything else the HTTP layer fails with keeps its status (a client's mistake) or becomes a
 *     generic 500 (a bug, logged once), never Vert.x's own error page.</li>
 * </ul>
 * On the SDK route ({@code /v1/**}) every refusal comes in Stripe's error shape instead ({@link ProblemMapper#write}).
 * What Vert.x's HTTP decoder cannot parse never reaches a route: a request line or header line it
 * refuses (a control character in a header value, a malformed or doubled {@code Content-Length},
 * {@code Content-Length} next to {@code Transfer-Encoding}, a header line without a colon, a line or
 * headers beyond the server's own limits, {@code quarkus.http.limits.*}) gets Vert.x's bare 400, 414
 * or 431 and a closed connection. Vert.x has a hook for that answer ({@code HttpServer#invalidRequestHandler})
 * but Quarkus 3.33 creates the server without offering it to the application.
 */
@ApplicationScoped
public class HttpGuards {

    private static final Logger LOG = Logger.getLogger(HttpGuards.class);

    public static final long MAX_BYTES = 64 * 1024;
    /** Stripe's events can be large; refusing one would only make Stripe send it again and again. */
    public static final long MAX_WEBHOOK_BYTES = 1024 * 1024;
    /** Stripe's documented largest file (file upload guide), in MB as Stripe counts them. */
    public static final int MAX_UPLOAD_FILE_MB = 32;
    /**
     * A file upload: Stripe's largest file, and room for the multipart form around it (its purpose, its name).
     * Counted in MiB, the larger reading of Stripe's "MB", so that nothing Stripe accepts is refused here.
     */
    public static final long MAX_UPLOAD_BYTES = MAX_UPLOAD_FILE_MB * 1024L * 1024L + MAX_BYTES;
    public static final int MAX_URI_LENGTH = 8192;
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Before every route of Quarkus' own (security among them), which would trip over a malformed URI. */
    private static final int ORDER = -10_000;
    private static final String DISABLE_QUARKUS_URI_CHECK = "vertx.disableURIValidation";

    private final String signInPath;
    /**
     * File uploads in flight on this pod: each is held in memory whole (up to {@link #MAX_UPLOAD_BYTES}), so their
     * number, not only their size, bounds what they take of the heap.
     */
    private final Semaphore uploads;

    public HttpGuards(@ConfigProperty(name = "quarkus.http.auth.form.post-location") String signInPath, StripeConfig stripe) {
        this.signInPath = signInPath;
        this.uploads = new Semaphore(stripe.uploadsInFlight());
    }

    /**
     * Quarkus answers a request URI that {@link URI} cannot parse with a bare 400 before any route
     * sees it; this service answers it itself, as a problem. Must run before the HTTP server
     * starts: start-up's configuration check calls it.
     */
    public static void takeOverUriValidation() {
        System.setProperty(DISABLE_QUARKUS_URI_CHECK, "true");
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            if (!validUri(request.uri())) {
                refuse(ctx, Failure.MALFORMED_REQUEST, "The request URI is not a valid URI (check its percent-encoding)");
                return;
            }
            if (request.uri().length() > MAX_URI_LENGTH) {
                refuse(ctx, Failure.URI_TOO_LONG, "The request line is longer than " + MAX_URI_LENGTH + " characters");
                return;
            }
            if (headerBytes(request) > MAX_HEADER_BYTES) {
                refuse(ctx, Failure.HEADERS_TOO_LARGE, "The request headers are larger than " + MAX_HEADER_BYTES / 1024 + " KiB");
                return;
            }
            String path = ctx.normalizedPath();
            if ((isApi(path) || isWebhook(path)) && hasBody(request) && refusedMediaType(request, path)) {
                refuse(ctx, Failure.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json");
                return;
            }
            if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                answerBrokenChunks(ctx);
            }
            if (request.method() == HttpMethod.POST && signInPath.equals(path)) {
                // The console's sign-in form is read by Quarkus' form authentication, which must be the first to read
                // it: reading it here first (readChunked) made it answer 500 "Request has already been read". Its size
                // is bounded by quarkus.http.limits.max-form-* and the sign-in's own checks (console/BrowserGuard).
                ctx.next();
                return;
            }
            long limit = limit(request.method(), path);
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (limit == MAX_UPLOAD_BYTES && !admitUpload(ctx, length)) {
                return;
            }
            if (length != null) {
                if (tooLarge(length, limit)) {
                    refuse(ctx, Failure.PAYLOAD_TOO_LARGE, tooLargeDetail(limit));
                } else {
                    ctx.next();
                }
            } else if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                readChunked(ctx, limit);
            } else {
                ctx.next();
            }
        }).failureHandler(HttpGuards::failed);
    }

    /** The largest body a request to {@code path} may carry. */
    static long limit(HttpMethod method, String path) {
        if (isWebhook(path)) {
            return MAX_WEBHOOK_BYTES;
        }
        return ProxyRoutes.isUploadRequest(method.name(), path) ? MAX_UPLOAD_BYTES : MAX_BYTES;
    }

    /**
     * An upload is let through only with its length declared (checked against the limit next, before a byte is read)
     * and a place among the uploads in flight, held until its answer ends or its connection goes away. The body is
     * then read by Quarkus REST, after authentication: an unauthenticated upload holds its place only until its 401.
     */
    private boolean admitUpload(RoutingContext ctx, String length) {
        if (length == null) {
            // Chunked, its size unknown until it is read whole: refused unread, so that no caller (one without a key
            // included: this runs before authentication) can make the pod hold an upload it has not sized.
            refuse(ctx, Failure.LENGTH_REQUIRED, "Send a file upload with its Content-Length (not chunked)");
            return false;
        }
        if (!uploads.tryAcquire()) {
            ctx.response().putHeader("Retry-After", "1");
            refuse(ctx, Failure.TOO_MANY_UPLOADS, "The service is taking as many file uploads as it can; send it again in a moment");
            return false;
        }
        AtomicBoolean released = new AtomicBoolean();
        // Called once the answer is written, or the connection closed or failed before that: the place is never lost.
        ctx.addEndHandler(done -> {
            if (released.compareAndSet(false, true)) {
                uploads.release();
            }
        });
        return true;
    }

    private static String tooLargeDetail(long limit) {
        return limit == MAX_UPLOAD_BYTES
                ? "The upload is larger than Stripe accepts: a file of at most " + MAX_UPLOAD_FILE_MB + " MB"
                : "The request body is larger than " + limit / 1024 + " KiB";
    }

    /**
     * Reads a chunked body up to {@code limit} and hands it on whole, as the resources read it. A
     * body that breaks the chunked framing is the client's mistake: a 400 ({@link #answerBrokenChunks}).
     */
    private static void readChunked(RoutingContext ctx, long limit) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                refuse(ctx, Failure.PAYLOAD_TOO_LARGE, tooLargeDetail(limit));
            } else {
                body.appendBuffer(chunk);
            }
        });
        // Broken framing is answered by the connection's handler; a caller that went away gets nothing.
        request.exceptionHandler(failure -> refused[0] = true);
        request.endHandler(end -> {
            if (!refused[0]) {
                ctx.setBody(body);
                ctx.next();
            }
        });
        request.resume();
    }

    /**
     * A chunked body whose framing breaks (a chunk size that is not hexadecimal, say) fails in Vert.x's HTTP
     * decoder, which closes the connection at once, before anything written during that read is flushed: the
     * caller got no answer at all. This answers first and closes through Vert.x, which flushes. It listens on the
     * connection, not the request: whoever reads the body (this guard, or a mechanism it lets through) sets the
     * request's own handler.
     */
    private static void answerBrokenChunks(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        connection.exceptionHandler(failure -> {
            // An I/O failure is the caller going away: nobody is left to answer.
            if (!(failure instanceof IOException) && !ctx.response().headWritten()) {
                refuse(ctx, Failure.MALFORMED_REQUEST, "The request body could not be read (its chunked framing is broken)");
                connection.close();
            }
        });
        // Later requests on the connection are not this one's to answer.
        ctx.addEndHandler(done -> connection.exceptionHandler(null));
    }

    /** Last resort for failures no resource answered: the client's status kept, or a 500 logged once. */
    private static void failed(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        if (ctx.failure() != null && ctx.failure().getClass().getName().startsWith("io.quarkus.security.")) {
            if (isApi(ctx.request().path()) && ctx.failure().getClass().getSimpleName().equals("AuthenticationFailedException")) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"stripe-connector\"");
                refuse(ctx, Failure.UNAUTHORIZED, "The API key is not valid");
                return;
            }
            // Other authentication and authorization outcomes: Quarkus answers them (the sign-in page on /console, say).
            ctx.next();
            return;
        }
        if (ctx.response().headWritten()) {
            // Too late for an answer (the connection went away after a refusal, say): end it quietly.
            ctx.response().end();
            return;
        }
        int status = ctx.statusCode();
        Throwable failure = ctx.failure();
        String path = ctx.normalizedPath();
        if (status == 413) {
            refuse(ctx, Failure.PAYLOAD_TOO_LARGE, tooLargeDetail(limit(ctx.request().method(), path)));
        } else if (status >= 400 && status < 500) {
            refuse(ctx, status == 404 ? Failure.NOT_FOUND : status == 405 ? Failure.METHOD_NOT_ALLOWED : Failure.MALFORMED_REQUEST,
                    "The request could not be read (HTTP " + status + ")", status);
        } else if (failure != null && clientsMistake(failure)) {
            refuse(ctx, Failure.MALFORMED_REQUEST, "The request could not be read");
        } else {
            LOG.error("A request failed in the HTTP layer", failure);
            refuse(ctx, Failure.INTERNAL, "The service could not complete the request");
        }
    }

    /** Malformed HTTP (a bad version, a missing Host, broken framing) or a connection that went away. */
    private static boolean clientsMistake(Throwable failure) {
        return Causes.any(failure, t -> {
            String type = t.getClass().getName();
            return t instanceof IllegalArgumentException || type.equals("io.vertx.core.VertxException")
                    || type.startsWith("io.netty.handler.codec.") || type.equals("io.vertx.core.http.HttpClosedException")
                    || t instanceof java.io.IOException;
        });
    }

    static boolean validUri(String uri) {
        if (uri == null) {
            return false;
        }
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The API, and the SDK route, which answers like Stripe's API but belongs to the service's API. */
    static boolean isApi(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/")) || ProxyRoutes.isSdk(path);
    }

    static boolean isWebhook(String path) {
        return path != null && path.startsWith("/webhooks/");
    }

    /** Multipart and form bodies anywhere on the API but the Stripe proxy's routes, which pass them on untouched. */
    private static boolean refusedMediaType(HttpServerRequest request, String path) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || ProxyRoutes.isProxy(path)) {
            return false;
        }
        String lower = type.toLowerCase(Locale.ROOT).trim();
        return lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded");
    }

    /** A declared non-zero length, or a chunked body (a form type on an empty POST is harmless). */
    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static long headerBytes(HttpServerRequest request) {
        long total = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            total += header.getKey().length() + header.getValue().length() + 4;
        }
        return total;
    }

    private static boolean tooLarge(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Answers {@code failure} as a problem with {@code detail}, and closes the connection. */
    public static void refuse(RoutingContext ctx, Failure failure, String detail) {
        refuse(ctx, failure, detail, ProblemMapper.kind(failure).status());
    }

    /**
     * Answers a problem. A request not yet read to its end (a body refused unread, a request the
     * guard stopped at its head) is answered with {@code Connection: close}: what is left of it on the
     * wire is never read, so the caller must not send another request on that connection. The caller
     * closes it (the idle timeout closes it for one that does not): closing first, while its body may
     * still be arriving, would reset the connection, and the caller, or the ingress in front, would
     * see the reset instead of the answer.
     */
    private static void refuse(RoutingContext ctx, Failure failure, String detail, int status) {
        if (ctx.response().headWritten()) {
            return;
        }
        Problem kind = ProblemMapper.problem(failure, detail, null);
        if (!ctx.request().isEnded()) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ProblemMapper.write(ctx, new Problem(kind.type(), kind.title(), status, detail, null));
    }
}
