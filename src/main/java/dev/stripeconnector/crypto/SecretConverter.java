package dev.stripeconnector.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.hibernate.annotations.Immutable;

/**
 * Every {@link Secret} column is stored as AES-256-GCM ciphertext; the database never sees the value.
 * {@link Secret} is immutable and compared by value, so Hibernate may keep the loaded instance as its
 * snapshot: without {@code @Immutable} it takes that snapshot by converting the value to the column
 * and back, an encryption and a decryption per secret of every entity it loads.
 */
@ApplicationScoped
@Immutable
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
