package dev.stripeconnector.connection;

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

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "api_key_name", nullable = false)
    public String apiKeyName;

    @Column(name = "read_at", nullable = false)
    public Instant readAt;

    /** The latest reads of an account's credentials, newest first. */
    public static java.util.List<CredentialRead> recent(String accountId, int limit) {
        return find("accountId", io.quarkus.panache.common.Sort.descending("readAt"), accountId).page(0, limit).list();
    }
}
