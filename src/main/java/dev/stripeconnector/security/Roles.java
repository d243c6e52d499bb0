package dev.stripeconnector.security;

/** What a caller may do; API keys and console users get them from configuration and the database. */
public final class Roles {

    /** A partner's API keys (every configured one; an issued one when named): the partner's /api/** operations. */
    public static final String API = "api";
    /** Keys named in CONNECTOR_CREDENTIAL_READERS, or issued with it: the credentials endpoint. */
    public static final String CREDENTIALS_READER = "credentials-reader";
    /** Keys named in CONNECTOR_ADMIN_KEYS, or issued with it, and console users: the partner's console users, subscriptions, console. */
    public static final String ADMIN = "admin";
    /** The operators' keys (CONNECTOR_OPERATOR_KEYS): partners and their keys (/api/v1/partners/**). Never a partner's key. */
    public static final String OPERATOR = "operator";
    /**
     * Service-wide maintenance (/api/v1/maintenance/**: encryption, purge): operators' keys, and the keys named in
     * CONNECTOR_ADMIN_KEYS, which had it before partners existed. Never a key issued to a partner.
     */
    public static final String MAINTENANCE = "maintenance";

    private Roles() {
    }
}
