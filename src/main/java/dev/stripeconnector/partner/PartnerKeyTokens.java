package dev.stripeconnector.partner;

import dev.stripeconnector.common.Sha256;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The form of a partner's API key: {@code sck_{partner id}_{43 characters}}, the characters 256 bits
 * from a secure random source. The key names its partner (partner ids have no '_'), so checking it
 * reads one row by a primary key whose first column is the partner id; the partner id is no secret.
 */
public final class PartnerKeyTokens {

    static final String PREFIX = "sck_";
    /** A partner id has no '_', so the first '_' after the prefix ends it. */
    private static final Pattern FORM = Pattern.compile("sck_(" + PartnerId.PATTERN + ")_[A-Za-z0-9_-]{43}");
    /** How many characters of the secret the non-secret prefix shows (24 of its 256 bits). */
    private static final int SHOWN = 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PartnerKeyTokens() {
    }

    /** A new key of {@code partner}: the key itself (shown once), its hash and its prefix (both stored). */
    record Issued(String key, String hash, String prefix) {
        @Override
        public String toString() {
            return "Issued[" + prefix + "…]";
        }
    }

    static Issued issue(PartnerId partner) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String key = PREFIX + partner.value() + "_" + secret;
        return new Issued(key, Sha256.hex(key), PREFIX + partner.value() + "_" + secret.substring(0, SHOWN));
    }

    /** The partner a presented text would be a key of, when it has the form of one (junk never reaches the database). */
    public static Optional<PartnerId> partnerOf(String presented) {
        Matcher key = presented == null ? null : FORM.matcher(presented);
        return key != null && key.matches() ? Optional.of(new PartnerId(key.group(1))) : Optional.empty();
    }
}
