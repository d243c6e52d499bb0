package dev.stripeconnector.webhook;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;

/** The endpoint has no signing secret, so no delivery to it can be verified. */
public class WebhooksNotConfigured extends DomainException {

    public WebhooksNotConfigured(String detail) {
        super(detail);
    }

    @Override
    public Failure failure() {
        return Failure.WEBHOOKS_NOT_CONFIGURED;
    }
}
