package dev.stripeconnector.partner;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Optional;

/** A partner of the platform, for writes; reads go through {@link Partners}. */
@Entity
@Table(name = "partner")
public class Partner extends PanacheEntityBase {

    public static final int MAX_NAME = 200;

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PartnerStatus status;

    /** host[:port] in lower case; null only for {@code default}, whose domain is the configured one. */
    @Column(name = "service_domain")
    public String serviceDomain;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /** The partner, its row locked until the transaction ends (so a change and a deletion cannot interleave). */
    static Optional<Partner> lock(PartnerId id) {
        return Optional.ofNullable(getEntityManager().find(Partner.class, id.value(), LockModeType.PESSIMISTIC_WRITE));
    }

    PartnerId partnerId() {
        return new PartnerId(id);
    }
}
