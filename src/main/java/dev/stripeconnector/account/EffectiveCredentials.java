package dev.stripeconnector.account;

import dev.stripeconnector.common.Source;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.crypto.Secret;

/**
 * The client ID and secret key an installation actually uses: its own override where it has
 * one, else the console's. Resolved on every use, so a console change reaches every account
 * without an override at once.
 */
public record EffectiveCredentials(String clientId, Source clientIdSource, Secret clientSecret, Source clientSecretSource) {

    public static EffectiveCredentials resolve(AccountConnector installation, ConnectorSettings console) {
        return resolve(installation.clientId, installation.clientSecret, console);
    }

    static EffectiveCredentials resolve(String clientId, Secret clientSecret, ConnectorSettings console) {
        String effectiveId = clientId != null ? clientId : console.clientId;
        Source idSource = clientId != null ? Source.ACCOUNT : console.clientId != null ? Source.CONSOLE : null;
        Secret effectiveSecret = clientSecret != null ? clientSecret : console.clientSecret;
        Source secretSource = clientSecret != null ? Source.ACCOUNT : console.clientSecret != null ? Source.CONSOLE : null;
        return new EffectiveCredentials(effectiveId, idSource, effectiveSecret, secretSource);
    }

    public boolean complete() {
        return clientId != null && clientSecret != null;
    }

    @Override
    public String toString() {
        return "EffectiveCredentials[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "unset" : "****") + "]";
    }
}
