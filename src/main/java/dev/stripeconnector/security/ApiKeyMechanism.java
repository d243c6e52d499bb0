package dev.stripeconnector.security;

import dev.stripeconnector.common.DatabaseFailures;
import dev.stripeconnector.common.Failure;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.common.ProblemMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Authenticates {@code /api/**} callers by their {@code Authorization: Bearer <api key>}. A missing
 * or wrong key gets a 401 problem whatever the path, so an unauthenticated caller learns nothing
 * about which paths exist. A key the service knows but refuses now is told why: 401 when revoked or
 * expired, 403 {@code partner-disabled} when its partner is disabled. {@code application.properties}
 * binds this mechanism to {@code /api/*} and to the SDK route {@code /v1/*}, where Stripe's SDKs send the
 * service's API key as their own {@code apiKey} (and its refusals come in Stripe's error shape).
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(ApiKeyMechanism.class);
    static final String SCHEME = "bearer";
    private static final String PREFIX = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identities.authenticate(new ApiKeyRequest(header.substring(PREFIX.length()).trim()))
                .onFailure().transform(failure -> refused(context, failure));
    }

    /**
     * A key that is not valid fails authentication as usual (401, {@link #sendChallenge}). Any other failure
     * is answered here, at once, because the HTTP layer knows only "not valid": a known key refused now says
     * why (revoked, expired: 401; its partner disabled: 403), and a database that cannot be reached is a 503,
     * never a 401 that would tell the holder of a valid key it is wrong.
     */
    private static Throwable refused(RoutingContext context, Throwable failure) {
        if (failure instanceof AuthenticationFailedException) {
            return failure;
        }
        if (failure instanceof KeyRefused refusal) {
            answer(context, refusal.failure(), refusal.getMessage());
        } else if (DatabaseFailures.isUnavailable(failure)) {
            LOG.warn("The database cannot be reached to check an API key: answering 503");
            answer(context, Failure.DATABASE_UNAVAILABLE,
                    "The service's database cannot be reached right now; nothing was changed. Retry in a few seconds");
        } else {
            LOG.error("The check of an API key failed", failure);
            answer(context, Failure.INTERNAL, "The service could not complete the request");
        }
        return new AuthenticationFailedException(failure.getMessage());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"stripe-connector\""));
    }

    /** The 401 is a problem like every other error of the API. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        boolean presented = context.request().getHeader(HttpHeaders.AUTHORIZATION) != null;
        answer(context, Failure.UNAUTHORIZED, presented ? "The API key is not valid" : "Send an API key as 'Authorization: Bearer <api key>'");
        return Uni.createFrom().item(true);
    }

    private static void answer(RoutingContext context, Failure failure, String detail) {
        if (context.response().headWritten()) {
            return;
        }
        Problem problem = ProblemMapper.problem(failure, detail, null);
        HttpServerResponse response = context.response();
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"stripe-connector\"");
        }
        if (failure == Failure.DATABASE_UNAVAILABLE) {
            response.putHeader("Retry-After", String.valueOf(ProblemMapper.RETRY_AFTER_UNAVAILABLE.toSeconds()));
        }
        ProblemMapper.write(context, problem);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, SCHEME));
    }
}
