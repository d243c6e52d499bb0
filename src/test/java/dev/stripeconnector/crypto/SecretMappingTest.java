package dev.stripeconnector.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.account.AccountConnector;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.junit.jupiter.api.Test;

/**
 * Hibernate treats a {@link Secret} attribute as immutable: it keeps the loaded instance as the
 * snapshot it compares against at flush, instead of copying it by encrypting and decrypting the
 * value again each time an entity is loaded.
 */
@QuarkusTest
class SecretMappingTest {

    @Inject
    SessionFactory sessionFactory;

    @Test
    void secretAttributesAreNotCopiedOnLoad() {
        EntityPersister installation = sessionFactory.unwrap(SessionFactoryImplementor.class).getMappingMetamodel()
                .getEntityDescriptor(AccountConnector.class);
        for (String attribute : new String[] {"clientSecret", "accessToken", "refreshToken"}) {
            assertThat(installation.findAttributeMapping(attribute).getAttributeMetadata().getMutabilityPlan().isMutable())
                    .as(attribute).isFalse();
        }
    }
}
