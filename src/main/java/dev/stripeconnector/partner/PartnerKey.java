package dev.stripeconnector.partner;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One API key of a partner, for writes; reads (and the check of a presented key) go through
 * {@link PartnerKeys}. Only the key's SHA-256 hash is kept. Identified here by (partner, id), which
 * the schema keeps unique; the schema's primary key is (partner, hash), what a presented key is found by.
 */
@Entity
@Table(name = "api_key")
@IdClass(PartnerKey.Key.class)
public class PartnerKey extends PanacheEntityBase {

    public static final int MAX_NAME = 64;

    /** The entity's identity: the partner and the key's id. */
    public static class Key implements Serializable {
        public String partnerId;
        public UUID id;

        public Key() {
        }

        Key(PartnerId partnerId, UUID id) {
            this.partnerId = partnerId.value();
            this.id = id;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(partnerId, key.partnerId) && Objects.equals(id, key.id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(partnerId, id);
        }
    }

    @Id
    @Column(name = "partner_id")
    public String partnerId;

    @Id
    public UUID id;

    @Column(name = "key_hash", nullable = false, updatable = false)
    public String keyHash;

    @Column(nullable = false)
    public String name;

    /** What the key is recognised by in lists: {@code sck_{partner}_} and the secret's first characters. */
    @Column(nullable = false, updatable = false)
    public String prefix;

    /** Comma-separated roles (api, credentials-reader, admin). */
    @Column(nullable = false)
    public String roles;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** Written by the check of a presented key alone ({@link PartnerKeys#recordUse}), never through the entity. */
    @Column(name = "last_used_at", insertable = false, updatable = false)
    public Instant lastUsedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "replaced_by")
    public UUID replacedBy;

    /** The key, its row locked until the transaction ends (a rotation and a revocation cannot interleave). */
    static Optional<PartnerKey> lock(PartnerId partner, UUID id) {
        return Optional.ofNullable(getEntityManager().find(PartnerKey.class, new Key(partner, id), LockModeType.PESSIMISTIC_WRITE));
    }
}
