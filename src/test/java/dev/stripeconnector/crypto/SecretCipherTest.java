package dev.stripeconnector.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeconnector.common.StartupRefusal;
import dev.stripeconnector.support.TestKeys;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    static SecretCipher cipher(String keys) {
        return SecretCipher.of(keys);
    }

    @Test
    void encryptsWithAFreshNonceAndDecryptsBack() {
        SecretCipher cipher = cipher(TestKeys.ENCRYPTION_KEY_1);
        String a = cipher.encrypt("sk_test_secretvalue");
        String b = cipher.encrypt("sk_test_secretvalue");
        assertThat(a).startsWith("v1:k1:").doesNotContain("secretvalue").isNotEqualTo(b);
        assertThat(cipher.decrypt(a)).isEqualTo("sk_test_secretvalue");
        assertThat(cipher.decrypt(b)).isEqualTo("sk_test_secretvalue");
    }

    @Test
    void valuesWrittenUnderAnOldKeyStillDecryptAfterANewPrimaryKeyIsAdded() {
        String old = cipher(TestKeys.ENCRYPTION_KEY_1).encrypt("sk_live_rotated");
        SecretCipher rotated = cipher(TestKeys.ENCRYPTION_KEY_2 + "," + TestKeys.ENCRYPTION_KEY_1);
        assertThat(rotated.decrypt(old)).isEqualTo("sk_live_rotated");
        assertThat(rotated.encrypt("x")).startsWith("v1:k2:");
        assertThat(rotated.primaryKeyId()).isEqualTo("k2");
    }

    @Test
    void aValueWhoseKeyWasRemovedIsRefusedWithTheKeyId() {
        String old = cipher(TestKeys.ENCRYPTION_KEY_1).encrypt("sk_test_gone");
        assertThatThrownBy(() -> cipher(TestKeys.ENCRYPTION_KEY_2).decrypt(old))
                .isInstanceOf(SecretDecryptionException.class).hasMessageContaining("'k1'");
    }

    @Test
    void aTamperedCiphertextIsRejected() {
        SecretCipher cipher = cipher(TestKeys.ENCRYPTION_KEY_1);
        String stored = cipher.encrypt("sk_test_tamper");
        String[] parts = stored.split(":", 3);
        byte[] bytes = Base64.getDecoder().decode(parts[2]);
        bytes[bytes.length - 20] ^= 0x01;
        String tampered = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> cipher.decrypt(tampered))
                .isInstanceOf(SecretDecryptionException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void aCiphertextRelabelledToAnotherKeyIsRejected() {
        SecretCipher both = cipher(TestKeys.ENCRYPTION_KEY_1 + "," + TestKeys.ENCRYPTION_KEY_2);
        String stored = both.encrypt("sk_test_relabel");
        assertThatThrownBy(() -> both.decrypt(stored.replace("v1:k1:", "v1:k2:")))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void garbageIsRejectedNotReturned() {
        SecretCipher cipher = cipher(TestKeys.ENCRYPTION_KEY_1);
        assertThatThrownBy(() -> cipher.decrypt("sk_test_plaintext")).isInstanceOf(SecretDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt("v1:k1:%%%")).isInstanceOf(SecretDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt("v1:k1:AAAA")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void missingOrMalformedKeysRefuseToStart() {
        assertThatThrownBy(() -> cipher("")).isInstanceOf(StartupRefusal.class).hasMessageContaining("CONNECTOR_ENCRYPTION_KEYS is missing");
        assertThatThrownBy(() -> cipher("nokey")).isInstanceOf(StartupRefusal.class).hasMessageContaining("keyId:base64key");
        assertThatThrownBy(() -> cipher("k1:not-base64!")).isInstanceOf(StartupRefusal.class).hasMessageContaining("not base64");
        assertThatThrownBy(() -> cipher("k1:" + Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(StartupRefusal.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> cipher(TestKeys.ENCRYPTION_KEY_1 + "," + TestKeys.ENCRYPTION_KEY_1))
                .isInstanceOf(StartupRefusal.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> cipher("bad id:" + Base64.getEncoder().encodeToString(new byte[32])))
                .isInstanceOf(StartupRefusal.class).hasMessageContaining("key ids");
    }

    @Test
    void refusalMessagesNeverEchoTheKeyMaterial() {
        String material = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> cipher("k1:" + material)).hasMessageNotContaining(material);
    }

    @Test
    void secretsAreMaskedWhenPrinted() {
        Secret secret = Secret.of("sk_test_abcdefgh1234");
        assertThat(secret.toString()).doesNotContain("abcdefgh").doesNotContain("1234");
        assertThat(secret.last4()).isEqualTo("1234");
    }
}
