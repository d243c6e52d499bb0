package dev.stripeconnector.security;

import dev.stripeconnector.common.StartupRefusal;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys of {@code CONNECTOR_API_KEYS}. Keys are kept only as SHA-256 digests and a
 * presented key is compared with every one of them in constant time, so neither the timing
 * nor the order of the list tells an attacker how close a guess was.
 */
@Startup(10)
@ApplicationScoped
public class ApiKeys {

    static final int MIN_KEY_LENGTH = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final SecurityConfig config;
    private List<Entry> entries;
    private Set<String> credentialReaders;
    private Set<String> admins;

    private record Entry(String name, byte[] digest) {
    }

    public ApiKeys(SecurityConfig config) {
        this.config = config;
    }

    @PostConstruct
    void init() {
        entries = parse(config.apiKeys().orElse(""));
        credentialReaders = Set.copyOf(config.credentialReaders().orElse(List.of()));
        admins = Set.copyOf(config.adminKeys().orElse(List.of()));
    }

    /** Refuses (a {@link StartupRefusal}) a list that is missing or malformed. */
    public static void check(String spec) {
        parse(spec);
    }

    static List<Entry> parse(String spec) {
        String variable = "CONNECTOR_API_KEYS";
        if (spec.isBlank()) {
            throw new StartupRefusal(variable + " is missing: set it to name:key[,name:key...] (keys of at least "
                    + MIN_KEY_LENGTH + " characters)");
        }
        List<Entry> parsed = new ArrayList<>();
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
            parsed.add(new Entry(name, sha256(key)));
        }
        return List.copyOf(parsed);
    }

    /** The name of the key that matches {@code presented}, checking every key whatever the outcome. */
    public Optional<String> authenticate(String presented) {
        byte[] digest = sha256(presented);
        String match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest) && match == null) {
                match = entry.name();
            }
        }
        return Optional.ofNullable(match);
    }

    /** Every key may call the API; the configuration names the keys that may also read credentials or administer. */
    public Set<String> rolesOf(String keyName) {
        Set<String> roles = new java.util.TreeSet<>();
        roles.add(Roles.API);
        if (credentialReaders.contains(keyName)) {
            roles.add(Roles.CREDENTIALS_READER);
        }
        if (admins.contains(keyName)) {
            roles.add(Roles.ADMIN);
        }
        return roles;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
