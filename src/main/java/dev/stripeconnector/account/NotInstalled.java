package dev.stripeconnector.account;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;

/** The connector is not installed for the account. */
public class NotInstalled extends DomainException {

    public NotInstalled(String accountId) {
        super("The connector is not installed for account '" + accountId + "'");
    }

    @Override
    public Failure failure() {
        return Failure.NOT_FOUND;
    }
}
