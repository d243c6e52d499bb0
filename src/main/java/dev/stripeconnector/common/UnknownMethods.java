package dev.stripeconnector.common;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * Answers a request whose method is not one of HTTP's standard methods before anything else reads,
 * authenticates or routes it: {@code 405} with {@code Allow} on a path the service has a route for,
 * {@code 501} elsewhere, both as problems. HTTP lets a client send any token as a method; none of
 * them means anything to this service, and none may cost it more than this answer.
 */
@ApplicationScoped
public class UnknownMethods {

    /** RFC 9110's methods: every other one is unknown to the service (and to its metrics, which show it as OTHER). */
    public static final Set<String> STANDARD = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
    /** Before HttpGuards, which may read a body, and before every route of Quarkus' own. */
    private static final int ORDER = -10_100;

    private final AllowedMethods allowedMethods;

    public UnknownMethods(AllowedMethods allowedMethods) {
        this.allowedMethods = allowedMethods;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::refuseUnknown);
    }

    private void refuseUnknown(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (STANDARD.contains(request.method().name())) {
            ctx.next();
            return;
        }
        String allow = HttpGuards.validUri(request.uri()) ? allowedMethods.allowFor(ctx.normalizedPath()) : null;
        Failure failure = allow != null ? Failure.METHOD_NOT_ALLOWED : Failure.METHOD_NOT_IMPLEMENTED;
        String detail = allow != null
                ? "This resource does not support the request's method; it answers " + allow
                : "The service does not implement the request's method for any resource";
        if (allow != null) {
            ctx.response().putHeader(HttpHeaders.ALLOW, allow);
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if ((length != null && !length.trim().equals("0")) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            // A body the service will not read: the connection cannot carry another request after it.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response().setStatusCode(ProblemMapper.kind(failure).status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(ProblemMapper.problem(failure, detail, null)));
    }
}
