package dev.stripeconnector.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Every {@link Secret} column is stored as AES-256-GCM ciphertext; the database never sees the value. */
@ApplicationScoped
@Converter(autoApply = true)
public class SecretConverter implements AttributeConverter<Secret, String> {

    @Inject
    SecretCipher cipher;

    @Override
    public String convertToDatabaseColumn(Secret secret) {
        return secret == null ? null : cipher.encrypt(secret.reveal());
    }

    @Override
    public Secret convertToEntityAttribute(String stored) {
        return stored == null ? null : Secret.of(cipher.decrypt(stored));
    }
}
