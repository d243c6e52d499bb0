package dev.stripeconnector.connector;

import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
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

/**
 * The partner's console setup: one row for the whole platform (the migration creates it, so
 * concurrent first writes on several replicas never race to insert it).
 */
@Entity
@Table(name = "connector_settings")
public class ConnectorSettings extends PanacheEntityBase {

    static final short SINGLETON_ID = 1;

    @Id
    public short id;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "client_secret")
    public Secret clientSecret;

    @Enumerated(EnumType.STRING)
    @Column(name = "default_scope")
    public Scope defaultScope;

    @Enumerated(EnumType.STRING)
    @Column(name = "account_type")
    public AccountType accountType;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    public static ConnectorSettings current() {
        return findById(SINGLETON_ID);
    }

    /** The settings row, locked until the transaction ends, for a read-modify-write. */
    public static ConnectorSettings currentForUpdate() {
        return findById(SINGLETON_ID, LockModeType.PESSIMISTIC_WRITE);
    }

    public Scope effectiveScope() {
        return defaultScope != null ? defaultScope : Scope.READ_WRITE;
    }

    public AccountType effectiveAccountType() {
        return accountType != null ? accountType : AccountType.STANDARD;
    }
}
