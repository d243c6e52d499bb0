package dev.stripeconnector.connection;

import dev.stripeconnector.partner.PartnerId;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The audit record of one read of an installation's credentials, written by the read itself (one
 * statement, {@code Installations#readCredentials}). It never holds the token.
 */
@Entity
@Table(name = "credential_read")
public class CredentialRead extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The partner whose installation was read. */
    @Column(name = "partner_id", nullable = false, updatable = false)
    public String partnerId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "api_key_name", nullable = false)
    public String apiKeyName;

    @Column(name = "read_at", nullable = false)
    public Instant readAt;

    /** The latest reads of {@code partner}'s installation of {@code accountId}, newest first. */
    public static java.util.List<CredentialRead> recent(PartnerId partner, String accountId, int limit) {
        return find("partnerId = ?1 and accountId = ?2", io.quarkus.panache.common.Sort.descending("readAt"), partner.value(), accountId)
                .page(0, limit).list();
    }
}
