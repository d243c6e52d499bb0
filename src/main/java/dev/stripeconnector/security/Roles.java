package dev.stripeconnector.security;

/** What a caller may do; API keys and console users get them from configuration and the database. */
public final class Roles {

    /** Every API key: the /api/** operations. */
    public static final String API = "api";
    /** API keys named in CONNECTOR_CREDENTIAL_READERS: the credentials endpoint. */
    public static final String CREDENTIALS_READER = "credentials-reader";
    /** API keys named in CONNECTOR_ADMIN_KEYS and console users: operations and the console. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
