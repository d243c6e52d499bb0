package dev.stripeconnector.connector;

import dev.stripeconnector.common.ApiProblem;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.crypto.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Reads and changes the console setup. */
@ApplicationScoped
public class ConnectorService {

    private final ServiceUrls urls;

    public ConnectorService(ServiceUrls urls) {
        this.urls = urls;
    }

    @Transactional
    public ConnectorSettingsView view() {
        return ConnectorSettingsView.of(ConnectorSettings.current(), urls);
    }

    @Transactional
    public ConnectorSettingsView update(ConnectorSettingsUpdate update) {
        if (update == null) {
            throw ApiProblem.badRequest("Send the console setup as a JSON object");
        }
        new Fields()
                .clientId("clientId", valueOf(update.clientId))
                .secretKey("clientSecret", valueOf(update.clientSecret))
                .orThrow();
        ConnectorSettings settings = ConnectorSettings.currentForUpdate();
        if (update.clientId != null) {
            settings.clientId = update.clientId.orElse(null);
        }
        if (update.clientSecret != null) {
            settings.clientSecret = update.clientSecret.map(Secret::of).orElse(null);
        }
        if (update.defaultScope != null) {
            settings.defaultScope = update.defaultScope.orElse(null);
        }
        if (update.accountType != null) {
            settings.accountType = update.accountType.orElse(null);
        }
        settings.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return ConnectorSettingsView.of(settings, urls);
    }

    private static String valueOf(java.util.Optional<String> field) {
        return field == null ? null : field.orElse(null);
    }
}
