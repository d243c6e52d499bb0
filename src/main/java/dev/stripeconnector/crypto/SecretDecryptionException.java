package dev.stripeconnector.crypto;

/** A stored ciphertext could not be decrypted: unknown key id, wrong format, or tampered with. */
public class SecretDecryptionException extends RuntimeException {

    public SecretDecryptionException(String message) {
        super(message);
    }
}
