package dev.stripeconnector.account;

import java.util.Optional;

/**
 * Body of {@code PUT /api/v1/accounts/{accountId}/connector}. Absent keeps the stored value,
 * JSON {@code null} clears it (an override then falls back to the console's), a value sets it.
 */
public class AccountConnectorUpdate {

    /** A display name for the installation. */
    public Optional<String> name;
    /** The account's own Connect client ID, overriding the console's. */
    public Optional<String> clientId;
    /** The account's own secret key, overriding the console's; write-only. */
    public Optional<String> clientSecret;
    /**
     * The signing secret ({@code whsec_…}) of the webhook endpoint the account registered in its own
     * platform (only with its own client ID); write-only. A new value keeps the previous one valid for
     * {@code CONNECTOR_STRIPE_WEBHOOK_PREVIOUS_SECRET_VALIDITY}.
     */
    public Optional<String> webhookSecret;
    /** {@code true}: the previous webhook signing secret stops being valid at once (with or without a new webhookSecret). */
    public Boolean expirePreviousWebhookSecret;

    static final AccountConnectorUpdate EMPTY = new AccountConnectorUpdate();
}
