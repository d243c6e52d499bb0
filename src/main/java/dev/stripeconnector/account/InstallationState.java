package dev.stripeconnector.account;

import dev.stripeconnector.common.Source;
import dev.stripeconnector.crypto.Secret;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One installation as the view {@code installation_state} states it: the effective client ID, secret
 * key (decrypted, the only secret read) and platform account with where each comes from, the status
 * the API shows, and the connection. Read through {@link Installations}; never written.
 */
public record InstallationState(
        UUID id,
        String accountId,
        String name,
        String displayName,
        String clientId,
        Source clientIdSource,
        Secret clientSecret,
        Source clientSecretSource,
        String platformAccount,
        Standing standing,
        String stripeUserId,
        Boolean livemode,
        String scope,
        String connectedClientId,
        String connectedPlatformAccount,
        String connectionPlatformAccount,
        Instant connectedAt,
        Instant tokensRefreshedAt,
        Instant lastVerifiedAt,
        String accountBusinessName,
        String accountEmail,
        String accountCountry,
        Boolean chargesEnabled,
        Boolean payoutsEnabled,
        String lastError,
        String lastErrorDescription,
        Instant lastErrorAt,
        Instant createdAt,
        Instant updatedAt,
        boolean ownWebhookSecretSet) {

    /**
     * Where an installation stands: what a read that cannot go ahead explains itself with (not
     * connected, and why; values missing), without reading again.
     */
    public record Standing(String accountId, ConnectorStatus status, boolean connected, boolean hasConnection, List<String> missing) {
    }

    public ConnectorStatus status() {
        return standing.status();
    }

    public List<String> missing() {
        return standing.missing();
    }

    public boolean hasConnection() {
        return standing.hasConnection();
    }
}
