package dev.stripeconnector.connector;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The partner's support contact, shown to a person whose connection link is spent or expired: an email address or an
 * http(s) URL, so the page can offer it as a link that leads somewhere (never {@code javascript:} or another scheme).
 */
public final class SupportContacts {

    public static final int MAX_LENGTH = 200;
    public static final String MESSAGE = "must be an email address (name@example.com) or a web address (https://…), at most " + MAX_LENGTH + " characters";
    private static final Pattern EMAIL = Pattern.compile("[^\\s@<>\"()\\[\\],;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

    private SupportContacts() {
    }

    public static boolean valid(String contact) {
        String value = contact.strip();
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        return isEmail(value) || isWebAddress(value);
    }

    public static boolean isEmail(String contact) {
        return EMAIL.matcher(contact).matches();
    }

    /** The address a page links the contact to: {@code mailto:} for an email address, the URL itself otherwise. */
    public static String href(String contact) {
        return isEmail(contact) ? "mailto:" + contact : contact;
    }

    private static boolean isWebAddress(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
