package dev.stripeconnector.devdb;

import com.oracle.svm.core.annotate.Delete;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import io.smallrye.config.ConfigSourceContext;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The native executable is always a production build: it never starts an embedded database, and
 * the embedded server's classes are not even in the package. Quarkus links native images at
 * build time, so the code that would reach them is replaced and removed here.
 */
final class DevDatabaseNativeSubstitutions {

    private DevDatabaseNativeSubstitutions() {
    }

    @TargetClass(DevDatabaseConfigSourceFactory.class)
    static final class Target_DevDatabaseConfigSourceFactory {

        @Substitute
        public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
            return List.of();
        }
    }

    @TargetClass(DevPostgres.class)
    @Delete
    static final class Target_DevPostgres {
    }
}
