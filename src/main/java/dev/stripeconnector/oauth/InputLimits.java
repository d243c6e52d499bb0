package dev.stripeconnector.oauth;

import dev.stripeconnector.account.AccountConnector;
import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.events.EventSubscription;
import dev.stripeconnector.events.ReceiverPolicy;
import dev.stripeconnector.events.StripeEventTypes;
import dev.stripeconnector.partner.Partner;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.partner.ServiceDomains;
import dev.stripeconnector.security.ConsoleUser;
import dev.stripeconnector.stripe.StripeKeys;
import java.util.Map;

/**
 * The longest value each field of the pages' forms accepts, read from the checks the service makes,
 * so a field's {@code maxlength} ({@code {max:accountId}} in a template) cannot drift from them: a
 * person cannot type past a limit only to be told about it after posting.
 */
public final class InputLimits {

    static final Map<String, Integer> BY_FIELD = Map.ofEntries(
            Map.entry("accountId", AccountIds.MAX_LENGTH),
            Map.entry("installationName", AccountConnector.MAX_NAME),
            Map.entry("stripeKey", StripeKeys.MAX_LENGTH),
            Map.entry("supportContact", dev.stripeconnector.connector.SupportContacts.MAX_LENGTH),
            Map.entry("partnerId", PartnerId.MAX_LENGTH),
            Map.entry("partnerName", Partner.MAX_NAME),
            Map.entry("serviceDomain", ServiceDomains.MAX_LENGTH),
            Map.entry("receiverUrl", ReceiverPolicy.MAX_URL),
            Map.entry("description", EventSubscription.MAX_DESCRIPTION),
            Map.entry("stripeEventTypes", StripeEventTypes.MAX_FIELD),
            Map.entry("username", ConsoleUser.MAX_USERNAME),
            Map.entry("password", ConsoleUser.MAX_PASSWORD));

    private InputLimits() {
    }
}
