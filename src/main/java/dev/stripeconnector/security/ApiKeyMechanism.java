package dev.stripeconnector.security;

import dev.stripeconnector.common.Failure;
import dev.stripeconnector.common.ProblemMapper;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Authenticates {@code /api/**} callers by their {@code Authorization: Bearer <api key>}. A missing
 * or wrong key gets a 401 problem whatever the path, so an unauthenticated caller learns nothing
 * about which paths exist. {@code application.properties} binds this mechanism to {@code /api/*}.
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {

    static final String SCHEME = "bearer";
    private static final String PREFIX = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identities.authenticate(new ApiKeyRequest(header.substring(PREFIX.length()).trim()));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"stripe-connector\""));
    }

    /** The 401 is a problem like every other error of the API. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().headWritten()) {
            boolean presented = context.request().getHeader(HttpHeaders.AUTHORIZATION) != null;
            context.response().setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Bearer realm=\"stripe-connector\"")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                    .end(Json.encode(ProblemMapper.problem(Failure.UNAUTHORIZED, presented
                            ? "The API key is not valid" : "Send an API key as 'Authorization: Bearer <api key>'", null)));
        }
        return Uni.createFrom().item(true);
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
