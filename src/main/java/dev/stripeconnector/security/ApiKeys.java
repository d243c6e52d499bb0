package dev.stripeconnector.security;

import dev.stripeconnector.common.Sha256;
import dev.stripeconnector.common.StartupRefusal;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The keys from configuration: {@code CONNECTOR_API_KEYS}, partner default's (as before partners
 * existed), and {@code CONNECTOR_OPERATOR_KEYS}, the operators'. Keys are kept only as SHA-256 digests
 * and a presented key is compared with every one of them in constant time, so neither the timing nor
 * the order of the lists tells an attacker how close a guess was. Keys issued to partners live in the
 * database ({@code partner/PartnerKeys}).
 */
@Startup(10)
@ApplicationScoped
public class ApiKeys {

    static final int MIN_KEY_LENGTH = 16;
    static final String API_KEYS = "CONNECTOR_API_KEYS";
    static final String OPERATOR_KEYS = "CONNECTOR_OPERATOR_KEYS";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final SecurityConfig config;
    private List<Entry> entries;

    private record Entry(byte[] digest, Caller caller) {
    }

    /** One {@code name:key} pair as configured (the key only as its digest). */
    private record Configured(String name, byte[] digest) {
    }

    public ApiKeys(SecurityConfig config) {
        this.config = config;
    }

    @PostConstruct
    void init() {
        Set<String> readers = Set.copyOf(config.credentialReaders().orElse(List.of()));
        Set<String> admins = Set.copyOf(config.adminKeys().orElse(List.of()));
        Lists lists = configured(config.apiKeys().orElse(""), config.operatorKeys().orElse(""));
        List<Entry> all = new ArrayList<>();
        for (Configured key : lists.partners()) {
            all.add(new Entry(key.digest(), new Caller(key.name(), PartnerId.DEFAULT, rolesOf(key.name(), readers, admins))));
        }
        for (Configured key : lists.operators()) {
            all.add(new Entry(key.digest(), Caller.operator(key.name())));
        }
        entries = List.copyOf(all);
    }

    /** Refuses (a {@link StartupRefusal}) key lists that are missing or malformed, or a key in both. */
    public static void check(String apiKeys, String operatorKeys) {
        configured(apiKeys, operatorKeys);
    }

    private record Lists(List<Configured> partners, List<Configured> operators) {
    }

    private static Lists configured(String apiKeys, String operatorKeys) {
        List<Configured> partners = parse(API_KEYS, apiKeys);
        List<Configured> operators = operatorKeys.isBlank() ? List.of() : parse(OPERATOR_KEYS, operatorKeys);
        for (Configured operator : operators) {
            for (Configured partner : partners) {
                if (MessageDigest.isEqual(operator.digest(), partner.digest())) {
                    throw new StartupRefusal(OPERATOR_KEYS + " and " + API_KEYS + " hold the same key (named '" + operator.name()
                            + "' and '" + partner.name() + "'): an operator's key must be its own");
                }
            }
        }
        return new Lists(partners, operators);
    }

    private static List<Configured> parse(String variable, String spec) {
        if (spec.isBlank()) {
            throw new StartupRefusal(variable + " is missing: set it to name:key[,name:key...] (keys of at least "
                    + MIN_KEY_LENGTH + " characters)");
        }
        List<Configured> parsed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String raw : spec.split(",")) {
            String entry = raw.trim();
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new StartupRefusal(variable + " is malformed: each entry must be name:key");
            }
            String name = entry.substring(0, colon);
            String key = entry.substring(colon + 1);
            if (!NAME.matcher(name).matches()) {
                throw new StartupRefusal(variable + " is malformed: key names are 1-64 letters, digits, '.', '_' or '-'");
            }
            if (key.length() < MIN_KEY_LENGTH || key.chars().anyMatch(Character::isWhitespace)) {
                throw new StartupRefusal(variable + " is malformed: the key named '" + name + "' must be at least "
                        + MIN_KEY_LENGTH + " characters without spaces");
            }
            if (!names.add(name)) {
                throw new StartupRefusal(variable + " is malformed: the name '" + name + "' is used twice");
            }
            parsed.add(new Configured(name, Sha256.of(key)));
        }
        return List.copyOf(parsed);
    }

    /** The caller whose configured key matches {@code presented}, checking every key whatever the outcome. */
    public Optional<Caller> authenticate(String presented) {
        byte[] digest = Sha256.of(presented);
        Caller match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest) && match == null) {
                match = entry.caller();
            }
        }
        return Optional.ofNullable(match);
    }

    /**
     * Every key of partner default may call its API; the configuration names the keys that may also read
     * credentials, or administer (which includes the service-wide maintenance they had before operators existed).
     */
    private static Set<String> rolesOf(String keyName, Set<String> readers, Set<String> admins) {
        Set<String> roles = new TreeSet<>();
        roles.add(Roles.API);
        if (readers.contains(keyName)) {
            roles.add(Roles.CREDENTIALS_READER);
        }
        if (admins.contains(keyName)) {
            roles.add(Roles.ADMIN);
            roles.add(Roles.MAINTENANCE);
        }
        return roles;
    }
}
