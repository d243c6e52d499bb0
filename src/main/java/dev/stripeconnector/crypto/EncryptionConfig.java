package dev.stripeconnector.crypto;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Encryption of secrets at rest. */
@ConfigMapping(prefix = "connector")
public interface EncryptionConfig {

    /** {@code keyId:base64key[,keyId:base64key…]}: 256-bit AES keys; the first encrypts, all decrypt. */
    Optional<String> encryptionKeys();
}
