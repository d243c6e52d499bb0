package dev.stripeconnector.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stripeconnector.common.SecretView;
import dev.stripeconnector.common.Source;
import java.time.Instant;
import java.util.UUID;

/** An installation as the API shows it: each effective value with its source, secrets masked. */
public record AccountConnectorView(
        UUID id,
        String accountId,
        String name,
        ConnectorStatus status,
        ClientIdView clientId,
        SecretView clientSecret,
        Instant createdAt,
        Instant updatedAt) {

    /** The effective client ID and where it comes from; {@code value} is null when neither side sets one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientIdView(String value, Source source) {
    }

    static AccountConnectorView of(AccountConnector installation, EffectiveCredentials effective) {
        return new AccountConnectorView(
                installation.id,
                installation.accountId,
                installation.name,
                installation.status,
                new ClientIdView(effective.clientId(), effective.clientIdSource()),
                SecretView.of(effective.clientSecret(), effective.clientSecretSource()),
                installation.createdAt,
                installation.updatedAt);
    }
}
