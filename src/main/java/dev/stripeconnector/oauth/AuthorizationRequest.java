package dev.stripeconnector.oauth;

import dev.stripeconnector.partner.PartnerId;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One authorization attempt of an installation: its setup link and its state, spent together, when the state
 * comes back from Stripe.
 */
@Entity
@Table(name = "authorization_request")
public class AuthorizationRequest extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The partner whose installation this request is for; its links and state work on that partner's domain only. */
    @Column(name = "partner_id", nullable = false, updatable = false)
    public String partnerId;

    @Column(name = "account_connector_id", nullable = false)
    public UUID accountConnectorId;

    @Column(name = "state_hash", nullable = false)
    public String stateHash;

    @Column(name = "setup_token_hash", nullable = false)
    public String setupTokenHash;

    /**
     * The authorize URL without its state parameter (the state is never stored); null until the
     * installation has a client ID (its install link asks the account first).
     */
    @Column(name = "authorize_base_url")
    public String authorizeBaseUrl;

    /** The options the authorize URL is built from when the link is used (JSON; never a secret). */
    @Column(name = "options")
    public String options;

    /** Until when the setup (install) link works: its own lifetime, days rather than minutes. */
    @Column(name = "setup_expires_at", nullable = false)
    public Instant setupExpiresAt;

    @Column(name = "return_url")
    public String returnUrl;

    /** Until when the state (the authorize URL) works. */
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "setup_used_at")
    public Instant setupUsedAt;

    @Column(name = "state_used_at")
    public Instant stateUsedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** {@code partner}'s request with this setup link; another partner's is not found. */
    public static Optional<AuthorizationRequest> findBySetupTokenHash(PartnerId partner, String setupTokenHash) {
        return find("partnerId = ?1 and setupTokenHash = ?2", partner.value(), setupTokenHash).firstResultOptional();
    }

    /**
     * Sends the person on to Stripe: starts (again) the state's lifetime, with the authorize URL built now. The
     * link itself is spent only when its state comes back ({@link CallbackStates}): a Back from Stripe, a closed
     * tab or an expired state leaves it usable. Answers {@code false} once the state came back or the link
     * expired; of simultaneous uses, all get the same state, which only one callback can spend.
     */
    public static boolean startState(UUID id, Instant now, Instant stateExpiresAt, String authorizeBaseUrl) {
        return update("expiresAt = ?3, authorizeBaseUrl = ?4 where id = ?2 and setupUsedAt is null and stateUsedAt is null"
                + " and setupExpiresAt > ?1", now, id, stateExpiresAt, authorizeBaseUrl) == 1;
    }

    public String authorizeUrl(String state) {
        return authorizeBaseUrl + "&state=" + state;
    }
}
