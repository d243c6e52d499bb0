package dev.stripeconnector.support;

/** The keys the test runs configure; none of them is real. */
public final class TestKeys {

    public static final String API_KEY = "test-admin-key-0123456789";
    /** An API key with the admin role (CONNECTOR_ADMIN_KEYS): console users, maintenance. */
    public static final String OPS_API_KEY = "test-ops-key-0123456789";
    public static final String READER_API_KEY = "test-reader-key-0123456789";
    /** An operator's key (CONNECTOR_OPERATOR_KEYS): partners and their keys, maintenance. */
    public static final String OPERATOR_KEY = "test-operator-key-0123456789";
    /** Two 32-byte AES keys (base64) for the rotation tests. */
    public static final String ENCRYPTION_KEY_1 = "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    public static final String ENCRYPTION_KEY_2 = "k2:ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
    public static final String ENCRYPTION_KEY_3 = "k3:YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=";
    public static final String SERVICE_DOMAIN = "connector.test.example";
    public static final String WEBHOOK_SECRET = "whsec_TestWebhookSecretCurrent01";
    public static final String OLD_WEBHOOK_SECRET = "whsec_TestWebhookSecretPrevious2";
    /** The console's session cookie key and its first administrator. */
    public static final String SESSION_KEY = "test-console-session-key-0123456789abcdef";
    public static final String CONSOLE_ADMIN = "partner-admin";
    public static final String CONSOLE_PASSWORD = "test-console-password-42";
    /** The operators' console's first operator (on the service's own domain). */
    public static final String CONSOLE_OPERATOR = "service-operator";
    public static final String CONSOLE_OPERATOR_PASSWORD = "test-operator-password-42";
    public static final String RETURN_URL_PREFIX = "https://app.partner.example/stripe";

    private TestKeys() {
    }
}
