package dev.stripeconnector.common;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.quarkus.smallrye.openapi.runtime.OpenApiConstants;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.quarkus.smallrye.openapi.runtime.filter.AutoSecurityFilter;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The API description ({@code /q/openapi}) is prepared when it is first asked for, not at start-up.
 * Quarkus reads the document its build wrote (~190 KB), builds its model and writes it out again as
 * JSON and YAML while the service starts: a quarter of the start-up's main thread, for a document
 * that pods in a cluster are rarely asked for. At start-up Quarkus is shown no document (it prepares
 * an empty one in no time); the first request to {@code /q/openapi} prepares the real one exactly as
 * Quarkus would have, and every request after it is served the same bytes as before. Nothing of the
 * document changes: it is the build's, and every filter of it runs at build time (SharedResponses).
 */
// Quarkus' own preparation is package-private: called reflectively, so a native build must keep it.
@RegisterForReflection(targets = OpenApiDocumentService.class)
@ApplicationScoped
public class ApiDocumentOnDemand {

    /** Before Quarkus' own route for the document, after the guards (HttpGuards, UnknownMethods). */
    private static final int ORDER = -8_000;

    private static final HidingLoader LOADER = new HidingLoader();
    private static volatile boolean prepared;

    /**
     * Called while the configuration is validated, before Quarkus prepares its documents: from then on
     * Quarkus looks the build's document up through a loader that does not show it.
     */
    public static void deferPreparation() {
        prepared = false;
        LOADER.hiding = true;
        OpenApiConstants.classLoader = LOADER;
    }

    void install(@Observes Router router) {
        router.route("/q/openapi*").order(ORDER).blockingHandler(ctx -> {
            prepare();
            ctx.next();
        }, false);
    }

    /** The build's document, prepared once by Quarkus itself (its own filters and formats). */
    static synchronized void prepare() {
        if (prepared || !LOADER.hiding) {
            return;
        }
        LOADER.hiding = false;
        Map<OpenApiFilter.RunStage, List<String>> noRuntimeFilters = new EnumMap<>(OpenApiFilter.RunStage.class);
        for (OpenApiFilter.RunStage stage : OpenApiFilter.RunStage.values()) {
            noRuntimeFilters.put(stage, List.of());
        }
        try {
            Method method = OpenApiDocumentService.class.getDeclaredMethod("prepareDocument", AutoSecurityFilter.class, Map.class, String.class);
            method.setAccessible(true);
            method.invoke(Arc.container().instance(OpenApiDocumentService.class).get(), null, noRuntimeFilters,
                    OpenApiConstants.DEFAULT_DOCUMENT_NAME);
            prepared = true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the API description could not be prepared", e);
        }
    }

    /** The application's class loader, but for the build's API description while {@code hiding}. */
    static final class HidingLoader extends ClassLoader {
        volatile boolean hiding;

        HidingLoader() {
            super(null);
        }

        private static ClassLoader application() {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            return context != null ? context : ApiDocumentOnDemand.class.getClassLoader();
        }

        @Override
        public Class<?> loadClass(String name) throws ClassNotFoundException {
            return application().loadClass(name);
        }

        @Override
        public URL getResource(String name) {
            return hides(name) ? null : application().getResource(name);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            return hides(name) ? null : application().getResourceAsStream(name);
        }

        private boolean hides(String name) {
            return hiding && name.startsWith(OpenApiConstants.BASE_NAME);
        }
    }
}
