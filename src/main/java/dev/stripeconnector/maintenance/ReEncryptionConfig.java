package dev.stripeconnector.maintenance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * When re-encryption runs by itself. The scheduler reads the setting through its expression in
 * {@link ReEncryption} (which repeats the default, as a schedule expression must); this mapping
 * makes it a known {@code connector.*} setting, since the {@code connector} mapping refuses unknown keys.
 */
@ConfigMapping(prefix = "connector.encryption")
public interface ReEncryptionConfig {

    /**
     * How often to re-encrypt under the primary key unasked ({@code PT1H}, say); {@code off} by default,
     * because it must not run before every replica has the new primary key (docs/operations.md).
     */
    @WithDefault("off")
    String reEncryptEvery();
}
