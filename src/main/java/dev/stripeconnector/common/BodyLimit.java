package dev.stripeconnector.common;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses request bodies over 64 KiB (Stripe webhooks: 1 MiB) with a 413 problem+json before
 * they reach a resource.
 * A declared Content-Length is checked at once; a chunked body is read up to the limit.
 * ({@code quarkus.http.limits.max-body-size} stays as the server's own backstop.)
 */
@ApplicationScoped
public class BodyLimit {

    public static final long MAX_BYTES = 64 * 1024;
    /** Stripe's events can be large; refusing one would only make Stripe send it again and again. */
    public static final long MAX_WEBHOOK_BYTES = 1024 * 1024;
    private static final int ORDER = -100;

    void install(@Observes Router router) {
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(MAX_BYTES);
        BodyHandler chunkedWebhook = BodyHandler.create(false).setBodyLimit(MAX_WEBHOOK_BYTES);
        router.route().order(ORDER).handler(ctx -> {
            boolean webhook = isWebhook(ctx);
            long limit = webhook ? MAX_WEBHOOK_BYTES : MAX_BYTES;
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                if (tooLarge(length, limit)) {
                    refuse(ctx, limit);
                } else {
                    ctx.next();
                }
            } else if (ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                (webhook ? chunkedWebhook : chunked).handle(ctx);
            } else {
                ctx.next();
            }
        }).failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                refuse(ctx, isWebhook(ctx) ? MAX_WEBHOOK_BYTES : MAX_BYTES);
            } else {
                ctx.next();
            }
        });
    }

    private static boolean isWebhook(RoutingContext ctx) {
        return ctx.normalizedPath().startsWith("/webhooks/");
    }

    private static boolean tooLarge(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void refuse(RoutingContext ctx, long limit) {
        Problem problem = new Problem(ProblemMapper.type("payload-too-large"), "Payload too large", 413,
                "The request body is larger than " + limit / 1024 + " KiB", null);
        ctx.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.encode(problem));
    }
}
