package dev.stripeconnector.common;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Map;

/**
 * What the HTTP layer refuses before a request reaches a resource, always as
 * {@code application/problem+json} on {@code /api/**} and {@code /webhooks/**}:
 * <ul>
 * <li>a request line over {@value #MAX_URI_LENGTH} characters (414) or headers over
 *     {@value #MAX_HEADER_BYTES} bytes (431);</li>
 * <li>a form or multipart body anywhere but the Stripe proxy (415), refused before a byte of it is
 *     read or decoded: the API speaks JSON, and only the proxy passes Stripe's form bodies through;</li>
 * <li>a body over 64 KiB (Stripe webhooks: 1 MiB), whether its length is declared or it is chunked (413);</li>
 * <li>anything else the HTTP layer fails with (a malformed query string, say) keeps its status
 *     and gets a problem body instead of an empty one.</li>
 * </ul>
 * The server's own limits ({@code quarkus.http.limits.*}) sit above these as a backstop; a request
 * beyond those gets the HTTP layer's bare answer and a closed connection.
 */
@ApplicationScoped
public class HttpGuards {

    public static final long MAX_BYTES = 64 * 1024;
    /** Stripe's events can be large; refusing one would only make Stripe send it again and again. */
    public static final long MAX_WEBHOOK_BYTES = 1024 * 1024;
    public static final int MAX_URI_LENGTH = 8192;
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int ORDER = -100;
    private static final String PROXY_SEGMENT = "/stripe/v1/";

    void install(@Observes Router router) {
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(MAX_BYTES);
        BodyHandler chunkedWebhook = BodyHandler.create(false).setBodyLimit(MAX_WEBHOOK_BYTES);
        router.route().order(ORDER).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            if (request.uri().length() > MAX_URI_LENGTH) {
                refuse(ctx, Failure.URI_TOO_LONG, "The request line is longer than " + MAX_URI_LENGTH + " characters");
                return;
            }
            if (headerBytes(request) > MAX_HEADER_BYTES) {
                refuse(ctx, Failure.HEADERS_TOO_LARGE, "The request headers are larger than " + MAX_HEADER_BYTES / 1024 + " KiB");
                return;
            }
            String path = ctx.normalizedPath();
            boolean guarded = isApi(path) || isWebhook(path);
            if (guarded && isFormOrMultipart(request) && hasBody(request) && !isProxy(path)) {
                refuse(ctx, Failure.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json");
                return;
            }
            boolean webhook = isWebhook(path);
            long limit = webhook ? MAX_WEBHOOK_BYTES : MAX_BYTES;
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                if (tooLarge(length, limit)) {
                    refuse(ctx, Failure.PAYLOAD_TOO_LARGE, "The request body is larger than " + limit / 1024 + " KiB");
                } else {
                    ctx.next();
                }
            } else if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                (webhook ? chunkedWebhook : chunked).handle(ctx);
            } else {
                ctx.next();
            }
        }).failureHandler(ctx -> {
            String path = ctx.normalizedPath();
            if (ctx.response().headWritten() || !(isApi(path) || isWebhook(path))) {
                ctx.next();
                return;
            }
            int status = ctx.statusCode();
            if (status == 413) {
                refuse(ctx, Failure.PAYLOAD_TOO_LARGE,
                        "The request body is larger than " + (isWebhook(path) ? MAX_WEBHOOK_BYTES : MAX_BYTES) / 1024 + " KiB");
            } else if (status >= 400 && status < 500) {
                // The HTTP layer's own refusals (a malformed query string, say): keep the status, explain it.
                refuse(ctx, status == 404 ? Failure.NOT_FOUND : status == 405 ? Failure.METHOD_NOT_ALLOWED : Failure.MALFORMED_REQUEST,
                        "The request could not be read (HTTP " + status + ")", status);
            } else {
                ctx.next();
            }
        });
    }

    static boolean isApi(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/"));
    }

    static boolean isWebhook(String path) {
        return path != null && path.startsWith("/webhooks/");
    }

    static boolean isProxy(String path) {
        return isApi(path) && path.contains(PROXY_SEGMENT);
    }

    private static boolean isFormOrMultipart(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return false;
        }
        String lower = type.toLowerCase(Locale.ROOT).trim();
        return lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/");
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

    private static void refuse(RoutingContext ctx, Failure failure, String detail) {
        refuse(ctx, failure, detail, ProblemMapper.kind(failure).status());
    }

    /** Answers a problem and closes the connection: the body, if any, is never read. */
    private static void refuse(RoutingContext ctx, Failure failure, String detail, int status) {
        Problem kind = ProblemMapper.problem(failure, detail, null);
        Problem problem = new Problem(kind.type(), kind.title(), status, detail, null);
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.encode(problem));
    }
}
