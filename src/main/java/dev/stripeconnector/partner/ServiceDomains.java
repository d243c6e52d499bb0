package dev.stripeconnector.partner;

import dev.stripeconnector.common.Fields;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A partner's service domain: the host (and port, if not 443) its people and Stripe reach the service
 * at. Its redirect URI, the one the partner registers at Stripe, is {@code https://{domain}/connector/callback}.
 */
public final class ServiceDomains {

    public static final int MAX_LENGTH = 253;
    static final String MESSAGE = "must be a host name with an optional port, such as stripe.partner.example or stripe.partner.example:8443";
    private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    private static final Pattern DOMAIN = Pattern.compile("(" + LABEL + "(?:\\." + LABEL + ")*)(?::([0-9]{1,5}))?");

    private ServiceDomains() {
    }

    /**
     * The domain as stored (lower case, without a port of 443, which https implies), or null with the
     * field's error added to {@code fields}.
     */
    static String normalize(Fields fields, String field, String value) {
        if (value == null || value.isBlank()) {
            fields.add(field, "is required");
            return null;
        }
        String domain = value.strip().toLowerCase(Locale.ROOT);
        Matcher parts = DOMAIN.matcher(domain);
        if (domain.length() > MAX_LENGTH || !parts.matches()) {
            fields.add(field, MESSAGE);
            return null;
        }
        if (parts.group(2) != null) {
            int port = Integer.parseInt(parts.group(2));
            if (port < 1 || port > 65535) {
                fields.add(field, MESSAGE);
                return null;
            }
            if (port == 443) {
                return parts.group(1);
            }
        }
        return domain;
    }

    /** The redirect URI of a partner whose service domain is {@code domain}. */
    static String redirectUri(String domain) {
        return "https://" + domain + dev.stripeconnector.connector.PublicOrigin.CALLBACK_PATH;
    }
}
