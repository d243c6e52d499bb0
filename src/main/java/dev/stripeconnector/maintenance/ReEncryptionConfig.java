package dev.stripeconnector.maintenance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** When re-encryption runs by itself. */
@ConfigMapping(prefix = "connector.encryption")
public interface ReEncryptionConfig {

    /**
     * How often to re-encrypt under the primary key unasked ({@code PT1H}, say); {@code off} by default,
     * because it must not run before every replica has the new primary key (docs/operations.md).
     */
    @WithDefault("off")
    String reEncryptEvery();
}
