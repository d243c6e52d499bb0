package dev.stripeconnector.account;

import dev.stripeconnector.common.Source;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.crypto.Secret;

/**
 * The client ID and secret key an installation actually uses: its own override where it has
 * one, else the console's, with the platform account the key belongs to when Stripe told us.
 * Resolved on every use, so a console change reaches every account without an override at once.
 */
public record EffectiveCredentials(String clientId, Source clientIdSource, Secret clientSecret, Source clientSecretSource,
                                   String platformAccountId) {

    public static EffectiveCredentials resolve(AccountConnector installation, ConnectorSettings console) {
        return resolve(installation.clientId, installation.clientSecret, installation.platformAccountId, console);
    }

    static EffectiveCredentials resolve(String clientId, Secret clientSecret, String platformAccountId, ConnectorSettings console) {
        String effectiveId = clientId != null ? clientId : console.clientId;
        Source idSource = clientId != null ? Source.ACCOUNT : console.clientId != null ? Source.CONSOLE : null;
        Secret effectiveSecret = clientSecret != null ? clientSecret : console.clientSecret;
        Source secretSource = clientSecret != null ? Source.ACCOUNT : console.clientSecret != null ? Source.CONSOLE : null;
        String platform = clientSecret != null ? platformAccountId : console.platformAccountId;
        return new EffectiveCredentials(effectiveId, idSource, effectiveSecret, secretSource, platform);
    }

    public boolean complete() {
        return clientId != null && clientSecret != null;
    }

    /** The fields neither the account nor the console provides, as the API names them. */
    public java.util.List<String> missing() {
        return missing(clientId != null, clientSecret != null);
    }

    /** The fields missing when a client ID and a secret key are set or not (own or the console's). */
    public static java.util.List<String> missing(boolean hasClientId, boolean hasClientSecret) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        if (!hasClientId) {
            missing.add("clientId");
        }
        if (!hasClientSecret) {
            missing.add("clientSecret");
        }
        return missing;
    }

    @Override
    public String toString() {
        return "EffectiveCredentials[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "unset" : "****") + "]";
    }
}
