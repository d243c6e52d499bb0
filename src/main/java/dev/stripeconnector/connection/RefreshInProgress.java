package dev.stripeconnector.connection;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;
import java.time.Duration;

/** Another replica is refreshing the same connection and did not finish while this call waited. */
public class RefreshInProgress extends DomainException {

    public RefreshInProgress(String accountId) {
        super("A refresh of the connection of account '" + accountId + "' is still in progress; retry shortly");
    }

    @Override
    public Failure failure() {
        return Failure.REFRESH_IN_PROGRESS;
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofSeconds(2);
    }
}
