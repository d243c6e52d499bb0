package dev.stripeconnector.partner;

import java.util.Locale;

/** Whether a partner's keys, users, links and callbacks work. Stored in upper case, shown in lower case. */
public enum PartnerStatus {
    ACTIVE,
    /** Nothing of the partner works, at once and on every replica; its data stays until an operator deletes it. */
    DISABLED;

    public String api() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named by {@code text} as the API writes it ({@code active}, {@code disabled}), or null. */
    public static PartnerStatus parse(String text) {
        for (PartnerStatus status : values()) {
            if (status.api().equals(text)) {
                return status;
            }
        }
        return null;
    }
}
