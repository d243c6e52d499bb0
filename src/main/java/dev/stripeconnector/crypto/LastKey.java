package dev.stripeconnector.crypto;

/**
 * Decrypts stored secret keys on a hot path, remembering the last one by its stored form: the
 * installations that use the console's key all store the same value, and a stored value always
 * decrypts to the same key, so it is decrypted once. Each reader keeps its own.
 */
public final class LastKey {

    private final SecretCipher cipher;
    private volatile Decrypted last;

    private record Decrypted(String stored, Secret key) {
    }

    public LastKey(SecretCipher cipher) {
        this.cipher = cipher;
    }

    public Secret decrypt(String stored) {
        Decrypted known = last;
        if (known != null && known.stored().equals(stored)) {
            return known.key();
        }
        Secret key = Secret.of(cipher.decrypt(stored));
        last = new Decrypted(stored, key);
        return key;
    }
}
