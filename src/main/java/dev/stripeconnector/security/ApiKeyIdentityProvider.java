package dev.stripeconnector.security;

import dev.stripeconnector.common.Failure;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.partner.PartnerKeyTokens;
import dev.stripeconnector.partner.PartnerKeys;
import dev.stripeconnector.partner.PartnerStatus;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;

/**
 * Turns a valid API key into an identity: its name as principal, its roles, and the partner it acts
 * for ({@link Callers}). A configured key (partner default's, or an operator's) is checked in memory;
 * a key issued to a partner is read from the database at every request, with its partner's status, so
 * that a revoked or expired key or a disabled partner stops working at once on every replica.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    private final ApiKeys configured;
    private final PartnerKeys issued;
    private final ServiceClock clock;

    public ApiKeyIdentityProvider(ApiKeys configured, PartnerKeys issued, ServiceClock clock) {
        this.configured = configured;
        this.issued = issued;
        this.clock = clock;
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        String key = request.key();
        Caller caller = configured.authenticate(key).orElse(null);
        if (caller != null) {
            return Uni.createFrom().item(Callers.identity(caller));
        }
        if (PartnerKeyTokens.partnerOf(key).isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("The API key is not valid"));
        }
        return context.runBlocking(() -> Callers.identity(issuedKey(key)));
    }

    /**
     * The caller of a key issued to a partner (blocking: one read by primary key, and at most once a
     * minute a write of its last use); refused when unknown, revoked, expired, or of a disabled partner.
     */
    public Caller issuedKey(String presented) {
        PartnerKeys.Presented found = issued.find(presented)
                .orElseThrow(() -> new AuthenticationFailedException("The API key is not valid"));
        PartnerKeys.Row key = found.key();
        Instant now = clock.now();
        if (key.revokedAt() != null) {
            throw new KeyRefused(Failure.UNAUTHORIZED, "This API key was revoked");
        }
        if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) {
            throw new KeyRefused(Failure.UNAUTHORIZED, key.replacedBy() != null
                    ? "This API key was rotated and its time is over: use the key that replaced it" : "This API key has expired");
        }
        if (found.partnerStatus() == PartnerStatus.DISABLED) {
            throw new KeyRefused(Failure.PARTNER_DISABLED, "Partner '" + key.partnerId()
                    + "' is disabled: none of its keys work until an operator enables it again");
        }
        issued.recordUse(key, now);
        return new Caller(key.name(), key.partnerId(), Set.copyOf(key.roles()));
    }
}
