package dev.stripeconnector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fails when deploy/ drifts from the code: ports, probes, settings, images, security and
 * shutdown timing are read from the manifests as typed objects and held against the
 * application's configuration, the Dockerfiles and the docs. The pieces are checked always;
 * what {@code kubectl kustomize} renders for each overlay (generated names, namespaces, the
 * rewritten images) is checked where kubectl is on PATH, and skipped with a message elsewhere.
 */
class DeployManifestsTest {

    /** What the packaged application refuses to start without (see StartupRefusalIT). */
    static final Set<String> REQUIRED_IN_PROD = Set.of(
            "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
            "CONNECTOR_API_KEYS", "CONNECTOR_ENCRYPTION_KEYS", "CONNECTOR_SERVICE_DOMAIN",
            "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY");
    static final Set<String> SECRET_SETTINGS = Set.of(
            "CONNECTOR_API_KEYS", "CONNECTOR_ENCRYPTION_KEYS", "CONNECTOR_STRIPE_WEBHOOK_SECRETS", "QUARKUS_DATASOURCE_PASSWORD",
            "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY",
            // The console's first administrator: without it a deployment has a console nobody can sign in to.
            "CONNECTOR_CONSOLE_ADMIN_USERNAME", "CONNECTOR_CONSOLE_ADMIN_PASSWORD");
    /** The JVM options: the image starts {@code java $JAVA_OPTS … -jar}; config.env sets them, the image's default is the same. */
    static final String JVM_OPTIONS = "JAVA_OPTS";
    /** The AOT cache the image build trains (bench/train.sh), run by default, without -XX:AOTMode=on (a start never fails on it). */
    static final String AOT_CACHE = "-XX:AOTCache=/deployments/app.aot";
    /**
     * The heap a pod needs at its worst: the service's live data after the benchmark's loads (~35 MiB, docs/performance.md)
     * and the young generation (16 MiB), plus two file uploads in flight (CONNECTOR_STRIPE_UPLOADS_IN_FLIGHT's default), each
     * read into one array of its declared length, up to 32 MiB. The limit times -XX:MaxRAMPercentage must give at least this.
     */
    static final long BENCHMARK_HEAP_BYTES = (35L + 16 + 2 * 32) * 1024 * 1024;
    /** The collector the benchmark runs the service with (bench/run.sh's JVM options). */
    static final String BENCHMARK_GC = "-XX:+UseSerialGC";
    /** The images' native-heap trim, which the benchmark's resident-set figures include. */
    static final String BENCHMARK_TRIM = "-XX:TrimNativeHeapInterval=200";
    /** A JVM out of heap stops (and the pod is restarted) on every start path, rather than serving on half-dead. */
    static final String EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError";
    /** Only the quick compiler, which the benchmark's start-up, cold and resident-set figures were measured with. */
    static final String BENCHMARK_COMPILER = "-XX:TieredStopAtLevel=1";
    static final int POSTGRESQL_PORT = 5432;
    /** The label CloudNativePG puts on every instance pod of a Cluster: the cluster's name. */
    static final String CLOUDNATIVEPG_CLUSTER_LABEL = "cnpg.io/cluster";
    /** The Secret holding the CA of an external database's server certificate (key ca.crt), created by hand. */
    static final String EXTERNAL_DATABASE_CA = "stripe-connector-database-ca";
    /** The one key of a CA Secret the pods may see (CloudNativePG's {@code <cluster>-ca} also holds ca.key). */
    static final String CA_KEY = "ca.crt";
    /**
     * What marks a value an operator must replace: documentation addresses (RFC 5737, RFC 3849), example domains
     * (RFC 2606) and the templates' REPLACE_ME. They may sit in an overlay, which the operator owns, never in the base.
     */
    static final List<String> PLACEHOLDERS = List.of(
            "192.0.2.", "198.51.100.", "203.0.113.", "2001:db8", "example.com", "example.org", "example.net", "REPLACE");
    /** A digest as the registry names an image's content. */
    static final java.util.regex.Pattern PINNED_BY_DIGEST = java.util.regex.Pattern.compile(".+@sha256:[0-9a-f]{64}");
    /** The custom resources deploy/ may hold (read as generic resources), by kind: their apiVersion. */
    static final Map<String, String> CUSTOM_KINDS = Map.of(
            "Cluster", "postgresql.cnpg.io/v1",
            "ScheduledBackup", "postgresql.cnpg.io/v1",
            "ObjectStore", "barmancloud.cnpg.io/v1",
            "PodMonitor", "monitoring.coreos.com/v1",
            "PrometheusRule", "monitoring.coreos.com/v1");
    /** The Grafana dashboard's ConfigMap (components/monitoring), generated from its JSON file. */
    static final String DASHBOARD_NAME = "stripe-connector-dashboard";
    /** The Barman Cloud plugin's name in a Cluster's .spec.plugins and a backup's pluginConfiguration. */
    static final String BARMAN_CLOUD_PLUGIN = "barman-cloud.cloudnative-pg.io";
    /** The keys CloudNativePG writes into a cluster's generated {@code <cluster>-app} Secret. */
    static final Set<String> CLOUDNATIVEPG_APP_SECRET_KEYS = Set.of(
            "username", "password", "host", "port", "dbname", "uri", "jdbc-uri", "fqdn-uri", "fqdn-jdbc-uri", "pgpass");

    // ---- the connection budget (docs/operations.md) ----

    /**
     * Connections a pod may hold besides its pool: assumed 2 for the scheduled jobs to come (retention purge,
     * re-encryption), which may take a connection of their own, e.g. for a session-level advisory lock.
     */
    static final int BACKGROUND_CONNECTIONS_PER_POD = 2;
    /** Quarkus' pool maximum when neither application.properties nor the manifests set one. */
    static final int QUARKUS_DEFAULT_POOL_MAX_SIZE = 20;
    /** PostgreSQL's max_connections when nothing states another value. */
    static final int POSTGRESQL_DEFAULT_MAX_CONNECTIONS = 100;
    /** PostgreSQL's superuser_reserved_connections: slots the service's own (non-superuser) role can never take. */
    static final int POSTGRESQL_DEFAULT_SUPERUSER_RESERVED_CONNECTIONS = 3;
    /**
     * Where an overlay on an external PostgreSQL states that database's max_connections, when it is not
     * PostgreSQL's default: an annotation on the Deployment (docs/operations.md).
     */
    static final String MAX_CONNECTIONS_ANNOTATION = "stripe-connector/database-max-connections";

    // ---- the application's side ----

    static int httpPort() {
        return Integer.parseInt(Manifests.applicationProperties().getProperty("quarkus.http.port", "8080"));
    }

    static int managementPort() {
        return Integer.parseInt(Manifests.applicationProperties().getProperty("quarkus.management.port", "9000"));
    }

    /** Where the management interface serves health and metrics, {@code /q} unless configured. */
    static String managementRoot() {
        String root = Manifests.applicationProperties().getProperty("quarkus.management.root-path", "/q");
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    static String metricsPath() {
        String path = Manifests.applicationProperties().getProperty("quarkus.micrometer.export.prometheus.path", "metrics");
        return path.startsWith("/") ? path : managementRoot() + "/" + path;
    }

    // ---- the pieces of deploy/ ----

    static Deployment deployment() {
        return Manifests.read("base/deployment.yaml", Deployment.class);
    }

    static PodSpec pod() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    static Container container() {
        return onlyContainer(deployment());
    }

    static Container onlyContainer(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static HorizontalPodAutoscaler autoscaler() {
        return Manifests.read("base/horizontalpodautoscaler.yaml", HorizontalPodAutoscaler.class);
    }

    /**
     * The plain settings an overlay ends up with: the base's values, then those of each overlay it builds on, of
     * their components, and its own merged over them, in the order kustomize applies them.
     */
    static Map<String, String> mergedSettings(String overlay) {
        Map<String, String> settings = new LinkedHashMap<>(Manifests.configMap().getData());
        settings.putAll(Manifests.mergedGenerated("overlays/" + overlay, Manifests.CONFIG_NAME));
        return settings;
    }

    /** The cluster's values an overlay ends up with: its cluster.env, or that of the overlay it builds on. */
    static Map<String, String> clusterValues(String overlay) {
        return Manifests.mergedGenerated("overlays/" + overlay, Manifests.CLUSTER_VALUES_NAME);
    }

    static List<String> overlays() {
        return Manifests.overlays();
    }

    /** The images entry of an overlay, or of the overlay it builds on. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> image(String overlay) {
        List<String> chain = new java.util.ArrayList<>(Manifests.parentOverlays("overlays/" + overlay));
        chain.add("overlays/" + overlay);
        java.util.Collections.reverse(chain);
        for (String folder : chain) {
            List<Map<String, Object>> images = (List<Map<String, Object>>) Manifests.kustomization(folder).get("images");
            if (images != null) {
                assertThat(images).as(folder + " images").hasSize(1);
                return images.get(0);
            }
        }
        throw new AssertionError("overlays/" + overlay + " sets no image, nor does an overlay it builds on");
    }

    @Test
    void everyManifestIsATypedKubernetesObject() {
        Map<Path, HasMetadata> manifests = Manifests.all();
        assertThat(manifests).isNotEmpty();
        manifests.forEach((path, object) -> {
            if (object instanceof GenericKubernetesResource) {
                assertThat(CUSTOM_KINDS).as(path + ": a kind fabric8 does not know must be a known custom resource")
                        .containsEntry(object.getKind(), object.getApiVersion());
            }
            assertThat(object.getMetadata().getName()).as(path.toString()).isNotBlank();
        });
    }

    @Test
    void kustomizationsListFilesThatExistAndOverlaysMergeIntoTheBase() {
        Map<String, Object> base = Manifests.kustomization("base");
        List<String> resources = Manifests.list(base, "resources");
        assertThat(resources).isNotEmpty();
        Set<String> baseObjects = resources.stream()
                .map(r -> Manifests.read(Manifests.DEPLOY.resolve("base").resolve(r)))
                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(resources).doesNotContain("../secret.template.yaml", "secret.template.yaml");
        assertThat(baseObjects).as("the settings are generated (configMapGenerator), never a plain ConfigMap that would not roll the pods")
                .noneMatch(o -> o.startsWith("ConfigMap/"));
        assertThat(Manifests.configMapGenerators("base")).singleElement().satisfies(generator -> {
            assertThat(generator.get("name")).isEqualTo(Manifests.CONFIG_NAME);
            assertThat(generator.get("behavior")).as("the base creates the ConfigMap").isIn(null, "create");
        });
        assertThat(Manifests.configMap().getData()).isNotEmpty();

        assertThat(overlays()).contains("dev", "prod", "prod-cloudnativepg");
        Set<String> layers = new java.util.TreeSet<>();
        for (String overlay : overlays()) {
            String folder = "overlays/" + overlay;
            Map<String, Object> kustomization = Manifests.kustomization(folder);
            assertThat(Manifests.list(kustomization, "resources")).as(folder + " builds on the base or on one other overlay")
                    .singleElement().satisfies(r -> assertThat(Manifests.resolve(folder, r)).matches("base|overlays/[a-z0-9-]+"));
            assertThat(kustomization.get("namespace")).as(folder + " namespace").isNotNull();
            layers.add(folder);
            layers.addAll(Manifests.components(folder));
        }
        // Optional components no overlay uses yet (prometheus-operator) are checked as well.
        try (var components = Files.list(Manifests.DEPLOY.resolve("components"))) {
            components.forEach(c -> layers.add("components/" + c.getFileName()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String layer : layers) {
            Map<String, Object> kustomization = Manifests.kustomization(layer);
            if (layer.startsWith("components/")) {
                assertThat(kustomization.get("kind")).as(layer).isEqualTo("Component");
                for (String resource : Manifests.list(kustomization, "resources")) {
                    HasMetadata object = Manifests.read(Manifests.DEPLOY.resolve(layer).resolve(resource));
                    assertThat(object.getKind()).as(layer + "/" + resource + ": Secrets are created by hand").isNotEqualTo("Secret");
                }
            }
            for (String patch : Manifests.list(kustomization, "patches")) {
                HasMetadata patched = Manifests.read(Manifests.DEPLOY.resolve(layer).resolve(patch));
                assertThat(baseObjects).as(layer + "/" + patch).contains(patched.getKind() + "/" + patched.getMetadata().getName());
                assertThat(patched.getKind()).as(layer + "/" + patch + ": settings are merged by the configMapGenerator")
                        .isNotEqualTo("ConfigMap");
            }
            for (Map<String, Object> generator : Manifests.configMapGenerators(layer)) {
                if (Manifests.CLUSTER_VALUES_NAME.equals(generator.get("name"))) {
                    assertClusterValuesGenerator(layer, generator);
                    continue;
                }
                if (layer.equals("components/monitoring") && DASHBOARD_NAME.equals(generator.get("name"))) {
                    continue; // The dashboard, not settings: checked rendered (withThePrometheusOperatorAndMonitoringComponents...).
                }
                assertThat(generator.get("name")).as(layer + " generator").isEqualTo(Manifests.CONFIG_NAME);
                assertThat(generator.get("behavior")).as(layer + " merges into the base's ConfigMap").isEqualTo("merge");
                assertThat(Manifests.generatedData(layer, generator).keySet())
                        .as(layer + " sets only settings the base knows (a misspelt key would be silently ignored)")
                        .isSubsetOf(Manifests.configMap().getData().keySet());
            }
        }
    }

    @Test
    void imageNamesAreConsistent() {
        String image = container().getImage();
        for (String overlay : overlays()) {
            Map<String, Object> entry = image(overlay);
            assertThat(entry.get("name")).as(overlay).isEqualTo(image);
            assertThat(String.valueOf(entry.get("newName"))).endsWith("/" + image);
        }
        for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.native-micro")) {
            assertThat(read("src/main/docker/" + dockerfile)).as(dockerfile).contains("registry.example.com/" + image + ":");
        }
    }

    @Test
    void theDockerfilesServeTheHttpPortAsANonRootUser() {
        for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.native-micro")) {
            String text = read("src/main/docker/" + dockerfile);
            assertThat(text).as(dockerfile).contains("EXPOSE " + httpPort()).contains("-Dquarkus.http.host=0.0.0.0");
            // The image's own stage: the last FROM on (Dockerfile.jvm's training stage before it runs as root).
            String image = text.substring(text.lastIndexOf("\nFROM "));
            assertThat(image.lines().filter(l -> l.startsWith("USER ")).map(l -> l.substring(5).trim()).toList())
                    .as(dockerfile + " runs as a numeric, non-root user")
                    .singleElement().satisfies(user -> assertThat(Integer.parseInt(user)).isPositive());
        }
    }

    @Test
    void theApplicationServesHealthAndMetricsOnItsManagementInterface() {
        // The probes, the Prometheus annotations and the NetworkPolicy all assume the management interface.
        assertThat(Manifests.applicationProperties().getProperty("quarkus.management.enabled"))
                .as("quarkus.management.enabled in application.properties: deploy/ probes health on port %d", managementPort())
                .isEqualToIgnoringCase("true");
        assertThat(Manifests.applicationProperties().getProperty("quarkus.smallrye-health.root-path")).isNull();
        assertThat(managementPort()).isNotEqualTo(httpPort());
    }

    @Test
    void thePiecesExposeTheManagementPortToTheKubeletAndPrometheusOnly() {
        // In the base, each cluster value is its marker, which the components replace (checked on the rendered overlays).
        assertPortsProbesAndExposure("deploy/base", deployment(),
                Manifests.read("base/service.yaml", Service.class),
                Manifests.read("base/networkpolicy.yaml", NetworkPolicy.class), baseMarkers(), List.of());
    }

    @Test
    void everySettingTheServiceRequiresInProdIsSupplied() {
        Map<String, String> config = Manifests.configMap().getData();
        Map<String, String> secret = Manifests.secretTemplate().getStringData();
        Set<String> supplied = new HashSet<>(config.keySet());
        supplied.addAll(secret.keySet());
        assertThat(supplied).containsAll(REQUIRED_IN_PROD);
        assertThat(secret.keySet()).containsExactlyInAnyOrderElementsOf(SECRET_SETTINGS);
        assertThat(config.keySet()).as("secrets never sit in the ConfigMap").doesNotContainAnyElementsOf(SECRET_SETTINGS);

        List<EnvFromSource> envFrom = container().getEnvFrom();
        assertThat(envFrom).extracting(e -> e.getConfigMapRef() == null ? null : e.getConfigMapRef().getName())
                .contains(Manifests.CONFIG_NAME);
        assertThat(envFrom).extracting(e -> e.getSecretRef() == null ? null : e.getSecretRef().getName())
                .contains(Manifests.secretTemplate().getMetadata().getName());
    }

    @Test
    void everySettingInTheManifestsIsDocumented() {
        // docs/configuration.md is the table of settings; operations.md documents the pool size until that table has
        // its row (QUARKUS_DATASOURCE_JDBC_MAX_SIZE, set for the connection budget).
        String documentation = read("docs/configuration.md") + read("docs/operations.md");
        Map<String, String> all = new HashMap<>(Manifests.configMap().getData());
        overlays().forEach(overlay -> all.putAll(mergedSettings(overlay)));
        all.putAll(Manifests.secretTemplate().getStringData());
        all.keySet().stream().filter(k -> k.startsWith("CONNECTOR_") || k.startsWith("QUARKUS_"))
                .forEach(k -> assertThat(documentation).as(k + " in docs/configuration.md (or docs/operations.md)").contains("`" + k + "`"));
        assertThat(read("docs/deployment.md")).as("the JVM options in docs/deployment.md").contains("`" + JVM_OPTIONS + "`");
    }

    @Test
    void theImageTrainsAndRunsTheAotCacheWithDeploysJvmOptions() {
        // One JDK for the training and the image: a cache maps only on the JDK build that wrote it.
        String dockerfile = read("src/main/docker/Dockerfile.jvm");
        assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList()).as("the training stage and the image")
                .hasSize(2).allSatisfy(from -> assertThat(from).startsWith("FROM eclipse-temurin:${TEMURIN}"));
        assertThat(dockerfile.lines().filter(l -> l.startsWith("ARG TEMURIN=")).toList()).singleElement().asString()
                .as("Temurin 25, the JDK of the benchmark's figures").startsWith("ARG TEMURIN=25.");
        assertThat(dockerfile).as("the project's one training, on the image's layers")
                .contains("/training/bench/train.sh /deployments /deployments/app.aot")
                .contains("COPY --from=training --chown=185 /deployments/app.aot /deployments/app.aot");
        String imageOptions = dockerfile.lines().filter(l -> l.startsWith("ENV " + JVM_OPTIONS + "=")).findFirst().orElseThrow()
                .substring(("ENV " + JVM_OPTIONS + "=").length()).replace("\"", "");
        assertThat(dockerfile).as("the image's start").contains("exec java $" + JVM_OPTIONS + " -Djava.util.logging.manager=org.jboss.logmanager.LogManager"
                + " -Dquarkus.http.host=0.0.0.0 -jar /deployments/quarkus-run.jar");
        // deploy/ runs exactly the options the cache was trained with (bench/train.sh reads config.env's).
        assertThat(Manifests.configMap().getData()).as("deploy/base/config.env").containsEntry(JVM_OPTIONS, imageOptions);
        assertThat(List.of(imageOptions.split(" "))).as("the image's JVM options")
                .contains(AOT_CACHE, BENCHMARK_GC, BENCHMARK_TRIM, EXIT_ON_OOM, BENCHMARK_COMPILER).noneMatch(o -> o.startsWith("-XX:AOTMode="));
        assertThat(read("bench/train.sh")).as("the training's JVM options").contains("$(deploy_jvm_options)");

        assertJvmOptions("deploy/base", deployment(), Manifests.configMap().getData());
        for (String overlay : overlays()) {
            assertJvmOptions("deploy/overlays/" + overlay, deployment(), mergedSettings(overlay));
        }
    }

    @Test
    void theBenchmarksStackAloneBuildsOnTheServicesQuarkusAndJava() {
        // bench/floor is the floor under the service's start-up figures: the same Quarkus, the same Java level.
        for (String property : List.of("quarkus.platform.version", "maven.compiler.release", "compiler-plugin.version")) {
            String tag = "<" + property + ">";
            String service = read("pom.xml").lines().filter(l -> l.contains(tag)).findFirst().orElseThrow().strip();
            assertThat(read("bench/floor/pom.xml")).as("bench/floor/pom.xml's " + property).contains(service);
        }
        // ...and the same extensions and libraries: "start-up within 1.3 times the stack alone" is fair only
        // when the stack alone starts everything the service's pom brings in, minus the service's own code.
        assertThat(runtimeDependencies("bench/floor/pom.xml")).as("bench/floor/pom.xml's dependencies, against pom.xml's")
                .containsExactlyInAnyOrderElementsOf(runtimeDependencies("pom.xml"));
        // ...packaged alike: the aot-jar's class path and the fast-jar's own class loader start differently.
        java.util.Properties floor = new java.util.Properties();
        try (var in = Files.newBufferedReader(Path.of("bench/floor/src/main/resources/application.properties"))) {
            floor.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(floor.getProperty("quarkus.package.jar.type")).as("bench/floor's packaging")
                .isNotNull().isEqualTo(Manifests.applicationProperties().getProperty("quarkus.package.jar.type"));
    }

    /** groupId:artifactId of each dependency a pom's packaged application runs with (not test, provided or optional). */
    static List<String> runtimeDependencies(String pom) {
        try {
            var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            org.w3c.dom.Element project = factory.newDocumentBuilder().parse(Path.of(pom).toFile()).getDocumentElement();
            List<String> found = new java.util.ArrayList<>();
            for (org.w3c.dom.Element dependencies : children(project, "dependencies")) {
                for (org.w3c.dom.Element dependency : children(dependencies, "dependency")) {
                    String scope = text(dependency, "scope");
                    if (List.of("test", "provided").contains(scope) || "true".equals(text(dependency, "optional"))) {
                        continue;
                    }
                    found.add(text(dependency, "groupId").replace("${quarkus.platform.group-id}", "io.quarkus") + ":"
                            + text(dependency, "artifactId"));
                }
            }
            return found;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
    }

    private static List<org.w3c.dom.Element> children(org.w3c.dom.Element parent, String name) {
        List<org.w3c.dom.Element> found = new java.util.ArrayList<>();
        for (org.w3c.dom.Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof org.w3c.dom.Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static String text(org.w3c.dom.Element parent, String name) {
        List<org.w3c.dom.Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent().strip();
    }

    @Test
    void theSecretTemplateHoldsPlaceholdersOnly() {
        Manifests.secretTemplate().getStringData().forEach((key, value) ->
                assertThat(value).as(key).startsWith("REPLACE_ME"));
        assertThat(Manifests.secretTemplate().getData()).isNullOrEmpty();
    }

    @Test
    void podsRunLockedDown() {
        PodSecurityContext podSecurity = pod().getSecurityContext();
        assertThat(podSecurity.getRunAsNonRoot()).isTrue();
        assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        SecurityContext security = container().getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        // A read-only root filesystem needs a writable /tmp for the JVM and Vert.x.
        assertThat(container().getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod().getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void theAutoscalerOwnsTheScaleAndRollingUpdatesKeepEveryReplicaServing() {
        Deployment deployment = deployment();
        assertThat(deployment.getSpec().getReplicas()).as("replicas pinned in the Deployment: the HPA owns the scale").isNull();
        assertThat(autoscaler().getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        var resources = container().getResources();
        assertThat(resources.getRequests()).containsKeys("cpu", "memory");
        assertThat(resources.getLimits()).containsKeys("cpu", "memory");
        assertThat(resources.getLimits().get("memory").getNumericalAmount())
                .isGreaterThanOrEqualTo(resources.getRequests().get("memory").getNumericalAmount());
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(labels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void inFlightRequestsFinishBeforeThePodIsKilled() {
        Duration shutdown = Duration.parse("PT" + Manifests.applicationProperties().getProperty("quarkus.shutdown.timeout").toUpperCase());
        long preStop = container().getLifecycle().getPreStop().getSleep().getSeconds();
        long grace = pod().getTerminationGracePeriodSeconds();
        assertThat(grace).isGreaterThan(shutdown.toSeconds() + preStop);
    }

    @Test
    void serviceBudgetAutoscalerAndPolicySelectTheDeploymentsPods() {
        assertSelection("deploy/base", deployment(), Manifests.read("base/service.yaml", Service.class),
                Manifests.read("base/poddisruptionbudget.yaml", PodDisruptionBudget.class), autoscaler(),
                Manifests.read("base/networkpolicy.yaml", NetworkPolicy.class));
    }

    // ---- what kubectl kustomize renders for each overlay ----

    /** The rendered overlay; without kubectl the calling test is skipped, saying so (never passed silently). */
    static List<HasMetadata> rendered(String overlay) {
        if (Manifests.kubectl().isEmpty()) {
            System.err.println("DeployManifestsTest: kubectl is not on PATH: deploy/overlays/" + overlay
                    + " is NOT rendered and its rendered objects are NOT checked (tests skipped)");
        }
        Assumptions.assumeTrue(Manifests.kubectl().isPresent(),
                "kubectl is not on PATH: the rendered deploy/overlays/" + overlay + " is NOT checked; install kubectl to check it");
        return Manifests.render("overlays/" + overlay);
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = all(objects, type);
        assertThat(found).as("one " + type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void everyRenderedObjectIsTypedAndInTheOverlaysNamespace(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        Object namespace = Manifests.kustomization("overlays/" + overlay).get("namespace");
        assertThat(objects).isNotEmpty().allSatisfy(object -> {
            if (object instanceof GenericKubernetesResource) {
                assertThat(CUSTOM_KINDS).as(object.getKind() + ": only known custom resources are read generically")
                        .containsEntry(object.getKind(), object.getApiVersion());
            }
            assertThat(object.getMetadata().getNamespace()).as(object.getKind() + "/" + object.getMetadata().getName())
                    .isEqualTo(namespace);
        });
        // The base's six kinds, plus whatever the overlay's components bring (CloudNativePG: its Cluster, ...).
        List<String> expected = new java.util.ArrayList<>(List.of(
                "ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy"));
        for (String component : Manifests.allComponents("overlays/" + overlay)) {
            for (String resource : Manifests.list(Manifests.kustomization(component), "resources")) {
                expected.add(Manifests.read(Manifests.DEPLOY.resolve(component).resolve(resource)).getKind());
            }
        }
        assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(all(objects, Secret.class)).as("the Secret is created by hand, never applied from git").isEmpty();
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void theRenderedDeploymentReadsTheGeneratedConfigMapAndTheTemplatesSecret(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        Container container = onlyContainer(one(objects, Deployment.class));
        Map<String, ConfigMap> configMaps = all(objects, ConfigMap.class).stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
        Secret template = Manifests.secretTemplate();

        List<String> configMapRefs = container.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null)
                .map(e -> e.getConfigMapRef().getName()).toList();
        assertThat(configMapRefs).as("envFrom configMapRef").singleElement().asString()
                .as("the generated name carries the hash of the content, so a change rolls the pods")
                .matches(Manifests.CONFIG_NAME + "-[a-z0-9]{10}");
        ConfigMap config = configMaps.get(configMapRefs.get(0));
        assertThat(config).as("the rendered ConfigMap " + configMapRefs.get(0)).isNotNull();
        assertThat(config.getData()).as("the base's settings with the overlay's merged over them")
                .containsExactlyInAnyOrderEntriesOf(mergedSettings(overlay));

        assertThat(container.getEnvFrom().stream().filter(e -> e.getSecretRef() != null).map(e -> e.getSecretRef().getName()))
                .as("envFrom secretRef").containsExactly(template.getMetadata().getName());
        Set<String> clusterSecrets = clusters(objects).stream().map(c -> c.getMetadata().getName() + "-app").collect(Collectors.toSet());
        for (EnvVar env : container.getEnv() == null ? List.<EnvVar> of() : container.getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                String secret = env.getValueFrom().getSecretKeyRef().getName();
                String key = env.getValueFrom().getSecretKeyRef().getKey();
                if (clusterSecrets.contains(secret)) {
                    assertThat(CLOUDNATIVEPG_APP_SECRET_KEYS).as(env.getName() + ": a key CloudNativePG writes into " + secret).contains(key);
                } else {
                    assertThat(secret).as(env.getName() + ": the template's Secret or a rendered Cluster's <name>-app")
                            .isEqualTo(template.getMetadata().getName());
                    assertThat(template.getStringData()).as(env.getName()).containsKey(key);
                }
            }
            if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                ConfigMap referenced = configMaps.get(env.getValueFrom().getConfigMapKeyRef().getName());
                assertThat(referenced).as(env.getName() + ": a rendered ConfigMap").isNotNull();
                assertThat(referenced.getData()).as(env.getName()).containsKey(env.getValueFrom().getConfigMapKeyRef().getKey());
            }
        }

        Set<String> supplied = new HashSet<>(config.getData().keySet());
        supplied.addAll(template.getStringData().keySet());
        if (container.getEnv() != null) {
            container.getEnv().forEach(env -> supplied.add(env.getName()));
        }
        assertThat(supplied).containsAll(REQUIRED_IN_PROD);
        assertThat(config.getData().keySet()).as("secrets never sit in the ConfigMap").doesNotContainAnyElementsOf(SECRET_SETTINGS);
        assertJvmOptions("rendered overlays/" + overlay, one(objects, Deployment.class), config.getData());
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void noRenderedDeploymentPinsReplicasThatAnAutoscalerOwns(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        List<HorizontalPodAutoscaler> autoscalers = all(objects, HorizontalPodAutoscaler.class);
        assertThat(autoscalers).isNotEmpty();
        for (HorizontalPodAutoscaler hpa : autoscalers) {
            var target = hpa.getSpec().getScaleTargetRef();
            assertThat(target.getKind()).isEqualTo("Deployment");
            Deployment scaled = all(objects, Deployment.class).stream()
                    .filter(d -> d.getMetadata().getName().equals(target.getName())).findFirst().orElse(null);
            assertThat(scaled).as("the Deployment " + target.getName() + " that the HPA scales").isNotNull();
            assertThat(scaled.getSpec().getReplicas()).as("replicas pinned in " + target.getName() + ": every apply would reset the HPA's scale")
                    .isNull();
            assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        }
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void theRenderedOverlayProbesAndScrapesTheManagementPortAndServesOnlyHttp(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        List<String> databaseClusters = clusters(objects).stream().map(c -> c.getMetadata().getName()).toList();
        assertPortsProbesAndExposure("rendered overlays/" + overlay, one(objects, Deployment.class),
                one(objects, Service.class), one(objects, NetworkPolicy.class), clusterValues(overlay), databaseClusters);
        assertSelection("rendered overlays/" + overlay, one(objects, Deployment.class), one(objects, Service.class),
                one(objects, PodDisruptionBudget.class), one(objects, HorizontalPodAutoscaler.class), one(objects, NetworkPolicy.class));
        assertEgress("rendered overlays/" + overlay, one(objects, NetworkPolicy.class), mergedSettings(overlay), clusterValues(overlay),
                databaseClusters);
    }

    /**
     * The Ingress ends TLS for exactly the service domain the overlay configures (the service refuses its
     * browser routes at any other Host) and sends everything to the Service's public port, never the
     * management port.
     */
    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void theRenderedIngressServesTheServiceDomainOverTlsToThePublicPort(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        String domain = mergedSettings(overlay).get("CONNECTOR_SERVICE_DOMAIN");
        Ingress ingress = one(objects, Ingress.class);
        Service service = one(objects, Service.class);
        assertThat(ingress.getSpec().getIngressClassName()).as("the ingress class: INGRESS_CLASS of the overlay's cluster.env")
                .isEqualTo(clusterValues(overlay).get("INGRESS_CLASS"));
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getHost()).as("the Ingress's host: CONNECTOR_SERVICE_DOMAIN").isEqualTo(domain);
            assertThat(rule.getHttp().getPaths()).singleElement().satisfies(path -> {
                assertThat(path.getPath()).isEqualTo("/");
                assertThat(path.getPathType()).isEqualTo("Prefix");
                assertThat(path.getBackend().getService().getName()).isEqualTo(service.getMetadata().getName());
                String port = path.getBackend().getService().getPort().getName();
                assertThat(service.getSpec().getPorts()).as("the Service port the Ingress sends to")
                        .anySatisfy(p -> assertThat(p.getName()).isEqualTo(port));
                assertThat(service.getSpec().getPorts()).filteredOn(p -> p.getName().equals(port)).singleElement()
                        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).as("the public port, never management").isEqualTo("http"));
            });
        });
        assertThat(ingress.getSpec().getTls()).as("TLS ends at the Ingress, for the service domain").singleElement().satisfies(tls -> {
            assertThat(tls.getHosts()).containsExactly(domain);
            assertThat(tls.getSecretName()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void theRenderedImageIsTheOverlays(String overlay) {
        Map<String, Object> image = image(overlay);
        Container container = onlyContainer(one(rendered(overlay), Deployment.class));
        assertThat(container.getImage()).isEqualTo(image.get("newName") + ":" + image.get("newTag")
                + (image.get("digest") == null ? "" : "@" + image.get("digest")));
    }

    /** The overlays that run production: prod and every overlay built on it. */
    static List<String> prodOverlays() {
        return overlays().stream()
                .filter(overlay -> overlay.equals("prod") || Manifests.parentOverlays("overlays/" + overlay).contains("overlays/prod")).toList();
    }

    /** A tag can be moved to other content; a digest cannot: the release's own image, on every pod, every restart. */
    static void assertPinnedByDigest(String where, String image) {
        assertThat(image).as(where + ": the image is pinned by digest (images: digest: sha256:…), not by a tag alone")
                .matches(PINNED_BY_DIGEST);
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("prodOverlays")
    void aProdImageIsPinnedByDigest(String overlay) {
        assertThat(image(overlay).get("digest")).as("overlays/" + overlay + " images: digest").isNotNull();
        assertPinnedByDigest("rendered overlays/" + overlay, onlyContainer(one(rendered(overlay), Deployment.class)).getImage());
    }

    @Test
    void aTagOnlyImageIsRefusedForProd() {
        assertThat(prodOverlays()).contains("prod", "prod-cloudnativepg");
        for (String image : List.of("registry.example.com/stripe-connector:1.0.0", "registry.example.com/stripe-connector",
                "registry.example.com/stripe-connector:1.0.0@sha256:1234", "registry.example.com/stripe-connector:sha256-" + "a".repeat(64))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertPinnedByDigest("a prod overlay", image)).as(image)
                    .isInstanceOf(AssertionError.class).hasMessageContaining("pinned by digest");
        }
        assertPinnedByDigest("a prod overlay", "registry.example.com/stripe-connector:1.0.0@sha256:" + "0123456789abcdef".repeat(4));
        assertPinnedByDigest("a prod overlay", "registry.example.com/stripe-connector@sha256:" + "0123456789abcdef".repeat(4));
    }

    // ---- the cluster's values: set in an overlay, never by editing the base ----

    /** The keys of the cluster's values that the replacements of {@code components} read. */
    @SuppressWarnings("unchecked")
    static Set<String> clusterValueKeys(List<String> components) {
        Set<String> keys = new java.util.TreeSet<>();
        for (String component : components) {
            for (Map<String, Object> replacement : (List<Map<String, Object>>) Manifests.kustomization(component)
                    .getOrDefault("replacements", List.of())) {
                Map<String, Object> source = (Map<String, Object>) replacement.get("source");
                if (Manifests.CLUSTER_VALUES_NAME.equals(source.get("name"))) {
                    String fieldPath = String.valueOf(source.get("fieldPath"));
                    assertThat(fieldPath).as(component + ": a replacement reads one key of the cluster's values").startsWith("data.");
                    keys.add(fieldPath.substring("data.".length()));
                }
            }
        }
        return keys;
    }

    static List<String> allComponentFolders() {
        try (var components = Files.list(Manifests.DEPLOY.resolve("components"))) {
            return components.map(c -> "components/" + c.getFileName()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** In the base, every cluster value is its own name: the marker the components replace. */
    static Map<String, String> baseMarkers() {
        return clusterValueKeys(allComponentFolders()).stream().collect(Collectors.toMap(k -> k, k -> k));
    }

    /**
     * An overlay's cluster.env: its own ConfigMap (merged over that of the overlay it builds on), kept out of the
     * applied objects, under a fixed name.
     */
    @SuppressWarnings("unchecked")
    static void assertClusterValuesGenerator(String layer, Map<String, Object> generator) {
        assertThat(layer).as("the cluster's values are the overlay's own").startsWith("overlays/");
        assertThat(generator.get("behavior")).as(layer + ": creates its cluster values, or merges into those of the overlay it builds on")
                .isIn(Manifests.parentOverlays(layer).isEmpty() ? new Object[] { null, "create" } : new Object[] { "merge" });
        Map<String, Object> options = (Map<String, Object>) generator.getOrDefault("options", Map.of());
        assertThat(options.get("disableNameSuffixHash")).as(layer + ": the components find it by its name").isEqualTo(Boolean.TRUE);
        assertThat((Map<String, Object>) options.get("annotations")).as(layer + ": read while rendering, never applied")
                .containsEntry(Manifests.LOCAL_CONFIG, "true");
    }

    /** Every scalar string in an object's tree, with its path. */
    static void scalars(Object node, String path, Map<String, String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> scalars(value, path + "." + key, out));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                scalars(list.get(i), path + "." + i, out);
            }
        } else if (node instanceof String string) {
            out.put(path, string);
        }
    }

    @Test
    void theBaseHoldsNothingAnOperatorMustChange() throws IOException {
        // The manifests of the base: no placeholder at all (the cluster's values are markers the components replace).
        try (var files = Files.list(Manifests.DEPLOY.resolve("base"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String text = Files.readString(file);
                assertThat(PLACEHOLDERS).as(file + " holds a value an operator must replace: it belongs in an overlay")
                        .noneMatch(text::contains);
            }
        }
        // The base's settings: a placeholder value is a default every overlay replaces in its own config.env.
        Map<String, String> base = Manifests.configMap().getData();
        Set<String> placeholders = base.entrySet().stream().filter(e -> PLACEHOLDERS.stream().anyMatch(e.getValue()::contains))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(placeholders).as("the base's example values (the service domain, the database, ...)")
                .contains("CONNECTOR_SERVICE_DOMAIN", "QUARKUS_DATASOURCE_JDBC_URL");
        for (String overlay : overlays()) {
            assertThat(Manifests.mergedGenerated("overlays/" + overlay, Manifests.CONFIG_NAME).keySet())
                    .as("overlays/" + overlay + " (or what it builds on) sets each setting whose base value is a placeholder")
                    .containsAll(placeholders);
        }
        // The markers: every cluster value a component reads stands, as its own name, where it is copied to.
        Map<String, String> scalars = new LinkedHashMap<>();
        Manifests.all().forEach((path, object) -> scalars(Manifests.tree(object), path.toString(), scalars));
        assertThat(scalars.values()).as("deploy/: the marker of every cluster value the components read")
                .containsAll(clusterValueKeys(allComponentFolders()));
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void everyClusterValueComesFromTheOverlay(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        String folder = "overlays/" + overlay;
        List<String> components = Manifests.allComponents(folder);
        assertThat(components).as(folder + ": the base's NetworkPolicy gets the cluster's values").contains("components/cluster-values");
        Map<String, String> values = clusterValues(overlay);
        assertThat(values.keySet()).as(folder + "'s cluster.env: every value its components read, and nothing else")
                .containsExactlyInAnyOrderElementsOf(clusterValueKeys(components));
        // Each value set (but the backups' endpoint, empty for AWS S3 itself), without spaces.
        values.forEach((key, value) -> assertThat(value).as(folder + " " + key).doesNotContain(" ")
                .matches(key.equals("BACKUP_ENDPOINT_URL") ? ".*" : ".+"));
        for (String cidr : List.of(values.get("NODE_CIDR"), values.get("DATABASE_CIDR"))) {
            assertThat(cidr).as(folder + ": a CIDR").matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}|[0-9a-fA-F:]+/\\d{1,3}");
        }
        assertThat(values.get("DATABASE_CIDR")).as(folder + ": DATABASE_CIDR opens 5432 to the database, not to the world")
                .isNotIn("0.0.0.0/0", "::/0");

        // Every marker replaced, nowhere left; the values' ConfigMap itself never applied.
        Set<String> markers = new HashSet<>(baseMarkers().keySet());
        markers.add("SERVICE_DOMAIN");
        for (HasMetadata object : objects) {
            Map<String, String> scalars = new LinkedHashMap<>();
            scalars(Manifests.tree(object), object.getKind(), scalars);
            scalars.forEach((path, value) -> assertThat(markers).as("rendered " + folder + " " + path + ": a marker left unreplaced")
                    .doesNotContain(value));
            assertThat(object.getMetadata().getName()).isNotEqualTo(Manifests.CLUSTER_VALUES_NAME);
        }
    }

    @Test
    void anOperatorsOwnOverlaySetsEveryClusterValueWithoutEditingTheBase() throws IOException {
        rendered("prod");
        // An overlay kept outside deploy/, as an operator's repository would: the base and the components unchanged.
        Path folder = Files.createDirectories(Path.of("target", "kustomize-own-overlay"));
        Path deploy = folder.toAbsolutePath().relativize(Manifests.DEPLOY.toAbsolutePath());
        Map<String, String> values = new java.util.TreeMap<>(Map.of("NODE_CIDR", "10.20.0.0/16", "PROMETHEUS_NAMESPACE", "observability",
                "DATABASE_CIDR", "10.30.4.0/24", "INGRESS_CLASS", "traefik"));
        Files.writeString(folder.resolve("cluster.env"), values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n")
                .collect(Collectors.joining()));
        Files.writeString(folder.resolve("config.env"), "CONNECTOR_SERVICE_DOMAIN=connect.platform.test\n");
        Files.writeString(folder.resolve("kustomization.yaml"), String.join("\n",
                "# Written by DeployManifestsTest: an operator's overlay of its own, on the unedited base.",
                "apiVersion: kustomize.config.k8s.io/v1beta1",
                "kind: Kustomization",
                "namespace: integrations",
                "resources:",
                "  - " + deploy.resolve("base").toString().replace('\\', '/'),
                "components:",
                "  - " + deploy.resolve("components/cluster-values").toString().replace('\\', '/'),
                "  - " + deploy.resolve("components/ingress").toString().replace('\\', '/'),
                "configMapGenerator:",
                "  - name: " + Manifests.CONFIG_NAME,
                "    behavior: merge",
                "    envs: [config.env]",
                "  - name: " + Manifests.CLUSTER_VALUES_NAME,
                "    envs: [cluster.env]",
                "    options:",
                "      disableNameSuffixHash: true",
                "      annotations:",
                "        " + Manifests.LOCAL_CONFIG + ": \"true\"",
                ""));
        List<HasMetadata> objects = Manifests.renderDirectory(folder);
        NetworkPolicy policy = one(objects, NetworkPolicy.class);
        assertPolicy("an operator's own overlay", policy, values, List.of());
        Ingress ingress = one(objects, Ingress.class);
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> assertThat(rule.getHost()).isEqualTo("connect.platform.test"));
        assertThat(objects).extracting(o -> o.getMetadata().getName()).doesNotContain(Manifests.CLUSTER_VALUES_NAME);
    }

    // ---- surviving a node: spread, and a disruption budget that fits the autoscaler ----

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void replicasSpreadOverNodesAndZones(String overlay) {
        Deployment deployment = one(rendered(overlay), Deployment.class);
        String where = "rendered overlays/" + overlay;
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        var constraints = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
        assertThat(constraints).as(where + ": topologySpreadConstraints").isNotNull().allSatisfy(constraint -> {
            assertThat(constraint.getMaxSkew()).isEqualTo(1);
            assertThat(constraint.getLabelSelector().getMatchLabels()).as(where + ": counts the Deployment's own pods").isNotEmpty();
            assertThat(podLabels).containsAllEntriesOf(constraint.getLabelSelector().getMatchLabels());
            assertThat(constraint.getMatchLabelKeys()).as(where + ": a rollout spreads its new pods anew").contains("pod-template-hash");
            // A cordoned node (tainted unschedulable) left in the count would hold a drain's replacements Pending.
            assertThat(constraint.getNodeTaintsPolicy()).as(where + ": nodes the pods may not go to are not counted").isEqualTo("Honor");
        });
        assertThat(constraints).filteredOn(c -> c.getTopologyKey().equals("kubernetes.io/hostname")).as(where + ": across nodes, strictly")
                .singleElement().satisfies(c -> assertThat(c.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule"));
        // Strict across zones would leave every pod Pending on nodes without a zone label (single-zone, bare metal).
        assertThat(constraints).filteredOn(c -> c.getTopologyKey().equals("topology.kubernetes.io/zone")).as(where + ": across zones")
                .singleElement().satisfies(c -> assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway"));
    }

    /** Pods an eviction may take at once from {@code replicas} ready pods, as the disruption controller computes it. */
    static int disruptionsAllowed(PodDisruptionBudget pdb, int replicas) {
        IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
        IntOrString minAvailable = pdb.getSpec().getMinAvailable();
        assertThat(maxUnavailable == null).as("a PDB states maxUnavailable or minAvailable").isNotEqualTo(minAvailable == null);
        int desiredHealthy = maxUnavailable != null ? replicas - scaled(maxUnavailable, replicas) : scaled(minAvailable, replicas);
        return Math.max(0, replicas - Math.max(0, desiredHealthy));
    }

    /** An int, or a percentage of the replicas rounded up (as Kubernetes scales both of a PDB's fields). */
    static int scaled(IntOrString value, int replicas) {
        return value.getIntVal() != null ? value.getIntVal()
                : (int) Math.ceil(replicas * Integer.parseInt(value.getStrVal().replace("%", "")) / 100.0);
    }

    /**
     * At every replica count the HPA allows (and the Deployment's own, if it pinned one), a drain may proceed (one
     * eviction allowed: none would block the node's maintenance for good) and takes one pod at a time (the next once
     * the replacement is ready), so all but one pod serve throughout, as during a rolling update.
     */
    static void assertDisruptionBudget(String where, PodDisruptionBudget pdb, HorizontalPodAutoscaler hpa, Deployment deployment) {
        Set<Integer> counts = new java.util.TreeSet<>();
        for (int replicas = hpa.getSpec().getMinReplicas(); replicas <= hpa.getSpec().getMaxReplicas(); replicas++) {
            counts.add(replicas);
        }
        if (deployment.getSpec().getReplicas() != null) {
            counts.add(deployment.getSpec().getReplicas());
        }
        for (int replicas : counts) {
            assertThat(disruptionsAllowed(pdb, replicas)).as(where + ": evictions the PDB allows at once with " + replicas + " replicas "
                    + "(HPA " + hpa.getSpec().getMinReplicas() + "-" + hpa.getSpec().getMaxReplicas() + "): a drain proceeds, one pod at a time")
                    .isEqualTo(1);
        }
        assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).as(where + ": a pod that is not ready never blocks a drain")
                .isEqualTo("AlwaysAllow");
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void aNodeDrainKeepsTheServiceUpAtEveryScaleTheAutoscalerAllows(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        assertDisruptionBudget("rendered overlays/" + overlay, one(objects, PodDisruptionBudget.class),
                one(objects, HorizontalPodAutoscaler.class), one(objects, Deployment.class));
    }

    @Test
    void theDisruptionBudgetCheckRefusesABudgetThatBlocksOrEmptiesTheService() {
        HorizontalPodAutoscaler hpa = Manifests.read("overlays/prod/horizontalpodautoscaler-patch.yaml", HorizontalPodAutoscaler.class);
        Deployment deployment = deployment();
        // minAvailable: 1 (what the base had) lets a drain of a node holding nine of ten pods take all nine at once.
        for (IntOrString[] budget : List.of(new IntOrString[] { new IntOrString(1), null }, new IntOrString[] { null, new IntOrString(0) },
                new IntOrString[] { new IntOrString("100%"), null }, new IntOrString[] { null, new IntOrString("50%") })) {
            PodDisruptionBudget pdb = new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder().withNewSpec()
                    .withMinAvailable(budget[0]).withMaxUnavailable(budget[1]).withUnhealthyPodEvictionPolicy("AlwaysAllow").endSpec().build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertDisruptionBudget("a budget", pdb, hpa, deployment))
                    .as("minAvailable %s, maxUnavailable %s", budget[0], budget[1]).isInstanceOf(AssertionError.class);
        }
    }

    // ---- the database: reached over TLS, its certificate and name verified ----

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void theServiceVerifiesTheDatabasesCertificateAndName(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        String where = "rendered overlays/" + overlay;
        Deployment deployment = one(objects, Deployment.class);
        Container container = onlyContainer(deployment);
        String url = effectiveSetting(objects, container, "QUARKUS_DATASOURCE_JDBC_URL");
        assertThat(url).as(where + ": a JDBC URL with parameters").contains("?");
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : url.substring(url.indexOf('?') + 1).split("&")) {
            String[] pair = parameter.split("=", 2);
            parameters.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        assertThat(parameters).as(where + ": " + url).containsEntry("sslmode", "verify-full").containsKey("sslrootcert");
        Path rootCert = Path.of(parameters.get("sslrootcert"));

        // sslrootcert is the one key of the CA Secret, mounted read-only: the external database's, or the Cluster's <name>-ca.
        var mount = container.getVolumeMounts().stream().filter(m -> rootCert.startsWith(Path.of(m.getMountPath()))).toList();
        assertThat(mount).as(where + ": a volume mounted where sslrootcert points").singleElement()
                .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
        var volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.get(0).getName())).findFirst().orElseThrow();
        List<String> clusters = clusters(objects).stream().map(c -> c.getMetadata().getName()).toList();
        assertThat(volume.getSecret()).as(where + ": the CA comes from a Secret").isNotNull();
        assertThat(volume.getSecret().getSecretName()).as(where + ": the database's CA")
                .isEqualTo(clusters.isEmpty() ? EXTERNAL_DATABASE_CA : clusters.get(0) + "-ca");
        assertThat(volume.getSecret().getItems()).as(where + ": only the certificate, never the CA's key").singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo(CA_KEY);
            assertThat(Path.of(mount.get(0).getMountPath()).resolve(item.getPath())).isEqualTo(rootCert);
        });
        assertThat(volume.getSecret().getOptional()).as(where + ": no pod starts without its database's CA").isNotEqualTo(Boolean.TRUE);
        assertThat(read("docs/operations.md")).as("docs/operations.md: how to create the CA Secret").contains("`" + EXTERNAL_DATABASE_CA + "`");
    }

    /** Port 5432 never open to any address: to the external database's DATABASE_CIDR, or to a Cluster's own pods. */
    static void assertDatabaseEgress(String where, List<NetworkPolicyEgressRule> rules, Map<String, String> cluster,
            List<String> databaseClusters) {
        List<NetworkPolicyEgressRule> toDatabase = rules.stream().filter(rule -> ports(rule).contains(POSTGRESQL_PORT)).toList();
        assertThat(toDatabase).as(where + ": one egress rule for PostgreSQL").singleElement().satisfies(rule -> {
            assertThat(ports(rule)).as(where + ": PostgreSQL's port only").containsExactly(POSTGRESQL_PORT);
            assertThat(rule.getTo()).as(where + ": 5432 open to the database only, never to any address").isNotEmpty();
            if (databaseClusters.isEmpty()) {
                // An external database: its addresses (an ipBlock never matches a Service's ClusterIP).
                assertThat(rule.getTo()).as(where + ": the external database, DATABASE_CIDR").singleElement().satisfies(peer -> {
                    assertThat(peer.getPodSelector()).isNull();
                    assertThat(peer.getNamespaceSelector()).isNull();
                    assertThat(peer.getIpBlock().getCidr()).isEqualTo(cluster.get("DATABASE_CIDR")).isNotIn("0.0.0.0/0", "::/0");
                    assertThat(peer.getIpBlock().getExcept()).isNullOrEmpty();
                });
            } else {
                assertThat(rule.getTo()).as(where + ": the CloudNativePG Cluster's pods").singleElement().satisfies(peer -> {
                    assertThat(peer.getIpBlock()).isNull();
                    assertThat(peer.getNamespaceSelector()).isNull();
                    assertThat(peer.getPodSelector().getMatchLabels())
                            .containsExactlyEntriesOf(Map.of(CLOUDNATIVEPG_CLUSTER_LABEL, databaseClusters.get(0)));
                });
            }
        });
    }

    // ---- the database: a CloudNativePG Cluster where an overlay brings one, and the connection budget ----

    static List<GenericKubernetesResource> custom(List<HasMetadata> objects, String kind) {
        return objects.stream().filter(o -> o instanceof GenericKubernetesResource && kind.equals(o.getKind())
                && CUSTOM_KINDS.get(kind).equals(o.getApiVersion())).map(GenericKubernetesResource.class::cast).toList();
    }

    static List<GenericKubernetesResource> clusters(List<HasMetadata> objects) {
        return custom(objects, "Cluster");
    }

    /** The container's own env entry for a variable (it wins over envFrom), if any. */
    static java.util.Optional<EnvVar> env(Container container, String name) {
        return container.getEnv() == null ? java.util.Optional.empty()
                : container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    /** A plain setting as the container sees it: its literal env entry, else the rendered ConfigMap's value. */
    static String effectiveSetting(List<HasMetadata> objects, Container container, String name) {
        java.util.Optional<EnvVar> own = env(container, name);
        if (own.isPresent()) {
            assertThat(own.get().getValueFrom()).as(name + ": a literal value, visible in the manifests").isNull();
            return own.get().getValue();
        }
        String configName = container.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null)
                .map(e -> e.getConfigMapRef().getName()).findFirst().orElseThrow();
        return all(objects, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(configName))
                .findFirst().orElseThrow().getData().get(name);
    }

    /** Where {@code env} takes its value from a Secret: "name/key". */
    static String secretKeyRef(Container container, String env) {
        EnvVar variable = env(container, env).orElseThrow(() -> new AssertionError(env + " is not set on the container"));
        assertThat(variable.getValueFrom()).as(env + " comes from a Secret").isNotNull();
        assertThat(variable.getValueFrom().getSecretKeyRef()).as(env + " comes from a Secret").isNotNull();
        return variable.getValueFrom().getSecretKeyRef().getName() + "/" + variable.getValueFrom().getSecretKeyRef().getKey();
    }

    @Test
    void anOverlayWithACloudNativePgClusterPointsTheServiceAtItsPrimaryAndItsGeneratedSecret() {
        List<String> checked = new java.util.ArrayList<>();
        for (String overlay : overlays()) {
            List<HasMetadata> objects = rendered(overlay);
            List<GenericKubernetesResource> clusters = clusters(objects);
            if (clusters.isEmpty()) {
                continue;
            }
            checked.add(overlay);
            String where = "rendered overlays/" + overlay;
            assertThat(clusters).as(where + ": one Cluster").hasSize(1);
            GenericKubernetesResource cluster = clusters.get(0);
            String name = cluster.getMetadata().getName();
            String namespace = cluster.getMetadata().getNamespace();
            Container container = onlyContainer(one(objects, Deployment.class));

            // The read-write Service <name>-rw follows the primary through failovers; the database is the one initdb made.
            String url = effectiveSetting(objects, container, "QUARKUS_DATASOURCE_JDBC_URL");
            java.util.regex.Matcher jdbc = java.util.regex.Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(?:\\?.*)?").matcher(url);
            assertThat(jdbc.matches()).as(where + ": a PostgreSQL JDBC URL: " + url).isTrue();
            assertThat(jdbc.group(1)).as(where + ": the JDBC URL's host is the Cluster's read-write Service")
                    .isIn(name + "-rw", name + "-rw." + namespace, name + "-rw." + namespace + ".svc",
                            name + "-rw." + namespace + ".svc.cluster.local");
            assertThat(jdbc.group(2)).as(where + ": port").isIn(null, "5432");
            Object database = Manifests.at(cluster, "spec", "bootstrap", "initdb", "database");
            assertThat(jdbc.group(3)).as(where + ": the database bootstrap.initdb created").isEqualTo(database == null ? "app" : database);
            // The role and its password are the ones CloudNativePG generated, read from its Secret <name>-app.
            assertThat(secretKeyRef(container, "QUARKUS_DATASOURCE_USERNAME")).as(where).isEqualTo(name + "-app/username");
            assertThat(secretKeyRef(container, "QUARKUS_DATASOURCE_PASSWORD")).as(where).isEqualTo(name + "-app/password");

            // Survives a node: three instances apart, one synchronous standby.
            assertThat(((Number) Manifests.at(cluster, "spec", "instances")).intValue()).as(where + ": instances").isGreaterThanOrEqualTo(3);
            assertThat(Manifests.at(cluster, "spec", "affinity", "enablePodAntiAffinity")).as(where + ": instances on different nodes")
                    .isNotEqualTo(Boolean.FALSE);
            assertThat(Manifests.at(cluster, "spec", "postgresql", "synchronous", "method")).as(where + ": synchronous replication")
                    .isIn("any", "first");
            assertThat(((Number) Manifests.at(cluster, "spec", "postgresql", "synchronous", "number")).intValue())
                    .as(where + ": synchronous standbys").isBetween(1, ((Number) Manifests.at(cluster, "spec", "instances")).intValue() - 1);
            assertThat(Manifests.at(cluster, "spec", "storage", "size")).as(where + ": storage").isNotNull();
            assertThat(Manifests.at(cluster, "spec", "resources", "requests", "memory")).as(where + ": resources").isNotNull();
            assertThat(Manifests.at(cluster, "spec", "resources", "limits", "memory")).as(where + ": resources").isNotNull();

            // WAL archive and base backups through the Barman Cloud plugin, to an ObjectStore of the overlay.
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> plugins = (List<Map<String, Object>>) Manifests.at(cluster, "spec", "plugins");
            assertThat(plugins).as(where + ": the Barman Cloud plugin archives WAL").isNotNull()
                    .filteredOn(p -> BARMAN_CLOUD_PLUGIN.equals(p.get("name"))).singleElement()
                    .satisfies(p -> assertThat(p.get("isWALArchiver")).isEqualTo(Boolean.TRUE));
            Object storeName = plugins.stream().filter(p -> BARMAN_CLOUD_PLUGIN.equals(p.get("name"))).findFirst()
                    .map(p -> ((Map<?, ?>) p.get("parameters")).get("barmanObjectName")).orElse(null);
            List<GenericKubernetesResource> stores = custom(objects, "ObjectStore");
            assertThat(stores).extracting(o -> o.getMetadata().getName()).as(where + ": the ObjectStore the plugin writes to")
                    .contains(String.valueOf(storeName));
            GenericKubernetesResource store = stores.stream().filter(o -> o.getMetadata().getName().equals(storeName)).findFirst().orElseThrow();
            // The bucket and endpoint are the overlay's (an empty endpoint: AWS S3 itself, the plugin passes none).
            assertThat(Manifests.at(store, "spec", "configuration", "destinationPath")).as(where + ": the overlay's BACKUP_DESTINATION_PATH")
                    .isEqualTo(clusterValues(overlay).get("BACKUP_DESTINATION_PATH")).asString().startsWith("s3://");
            assertThat(Manifests.at(store, "spec", "configuration", "endpointURL")).as(where + ": the overlay's BACKUP_ENDPOINT_URL")
                    .isEqualTo(clusterValues(overlay).get("BACKUP_ENDPOINT_URL"));
            for (String credential : List.of("accessKeyId", "secretAccessKey")) {
                Object secretName = Manifests.at(store, "spec", "configuration", "s3Credentials", credential, "name");
                Object key = Manifests.at(store, "spec", "configuration", "s3Credentials", credential, "key");
                Secret template = secretTemplate(String.valueOf(secretName));
                assertThat(template.getStringData()).as(where + ": " + credential + " in " + secretName + "'s template").containsKey(String.valueOf(key));
            }
            assertThat(custom(objects, "ScheduledBackup")).as(where + ": scheduled base backups").isNotEmpty().allSatisfy(backup -> {
                assertThat(Manifests.at(backup, "spec", "cluster", "name")).isEqualTo(name);
                assertThat(Manifests.at(backup, "spec", "method")).isEqualTo("plugin");
                assertThat(Manifests.at(backup, "spec", "pluginConfiguration", "name")).isEqualTo(BARMAN_CLOUD_PLUGIN);
            });

            // The NetworkPolicy lets the pods reach the Cluster's instances on 5432.
            NetworkPolicy policy = one(objects, NetworkPolicy.class);
            List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule> toPostgres = policy.getSpec().getEgress().stream()
                    .filter(r -> r.getPorts().stream().anyMatch(p -> Objects.equals(p.getPort().getIntVal(), 5432))).toList();
            assertThat(toPostgres).as(where + ": an egress rule for 5432").singleElement().satisfies(rule -> {
                assertThat(rule.getTo()).as(where + ": 5432 is open to the Cluster's pods only").isNotEmpty().allSatisfy(peer -> {
                    assertThat(peer.getNamespaceSelector()).as("same namespace").isNull();
                    assertThat(peer.getIpBlock()).isNull();
                    assertThat(peer.getPodSelector().getMatchExpressions()).isNullOrEmpty();
                    assertThat(peer.getPodSelector().getMatchLabels()).containsExactlyEntriesOf(Map.of(CLOUDNATIVEPG_CLUSTER_LABEL, name));
                });
            });
        }
        assertThat(checked).as("the overlays with a CloudNativePG Cluster").contains("prod-cloudnativepg");
    }

    /** The Secret template under deploy/ for a Secret created by hand, holding placeholders only. */
    static Secret secretTemplate(String name) {
        List<Secret> templates = Manifests.all().entrySet().stream()
                .filter(e -> e.getKey().getFileName().toString().endsWith(".template.yaml"))
                .map(Map.Entry::getValue).filter(Secret.class::isInstance).map(Secret.class::cast)
                .filter(s -> s.getMetadata().getName().equals(name)).toList();
        assertThat(templates).as("a *.template.yaml under deploy/ for the Secret " + name).hasSize(1);
        templates.get(0).getStringData().forEach((key, value) -> assertThat(value).as(name + " " + key).startsWith("REPLACE_ME"));
        assertThat(templates.get(0).getData()).isNullOrEmpty();
        return templates.get(0);
    }

    @Test
    void withThePrometheusOperatorAndMonitoringComponentsBothAreScrapedAndTheDashboardAndAlertsAreApplied() throws IOException {
        rendered("prod-cloudnativepg");
        Path folder = Files.createDirectories(Path.of("target", "kustomize-prometheus-operator"));
        Path deploy = folder.toAbsolutePath().relativize(Manifests.DEPLOY.toAbsolutePath());
        Files.writeString(folder.resolve("kustomization.yaml"), String.join("\n",
                "# Written by DeployManifestsTest: prod-cloudnativepg with the optional Prometheus Operator and monitoring components.",
                "apiVersion: kustomize.config.k8s.io/v1beta1",
                "kind: Kustomization",
                "namespace: " + Manifests.kustomization("overlays/prod-cloudnativepg").get("namespace"),
                "resources:",
                "  - " + deploy.resolve("overlays/prod-cloudnativepg").toString().replace('\\', '/'),
                "components:",
                "  - " + deploy.resolve("components/prometheus-operator").toString().replace('\\', '/'),
                "  - " + deploy.resolve("components/monitoring").toString().replace('\\', '/'),
                ""));
        List<HasMetadata> objects = Manifests.renderDirectory(folder);
        Deployment deployment = one(objects, Deployment.class);
        String cluster = clusters(objects).get(0).getMetadata().getName();
        assertMonitoring(objects, deployment);
        List<HasMetadata> monitors = objects.stream().filter(o -> "PodMonitor".equals(o.getKind())).toList();
        assertThat(monitors).hasSize(2);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(monitors).as("a PodMonitor on the service's management port").anySatisfy(monitor -> {
            @SuppressWarnings("unchecked")
            Map<String, String> selector = (Map<String, String>) Manifests.at(monitor, "spec", "selector", "matchLabels");
            assertThat(podLabels).containsAllEntriesOf(selector);
            assertThat(Manifests.at(monitor, "spec", "podMetricsEndpoints", 0, "port")).isEqualTo("management");
            assertThat(Manifests.at(monitor, "spec", "podMetricsEndpoints", 0, "path")).isEqualTo(metricsPath());
        });
        assertThat(monitors).as("a PodMonitor on the Cluster's instances").anySatisfy(monitor -> {
            assertThat(Manifests.at(monitor, "spec", "selector", "matchLabels")).isEqualTo(Map.of("cnpg.io/cluster", cluster));
            assertThat(Manifests.at(monitor, "spec", "podMetricsEndpoints", 0, "port")).isEqualTo("metrics");
        });
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("stripe-connector"));
    }

    /**
     * The monitoring component rendered: the dashboard as a ConfigMap the Grafana sidecar loads (its label, valid
     * JSON with panels), and the alerts, each with its runbook; which metrics they read is MonitoringMetricsTest's.
     */
    static void assertMonitoring(List<HasMetadata> objects, Deployment deployment) throws IOException {
        ConfigMap dashboard = all(objects, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(DASHBOARD_NAME))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + DASHBOARD_NAME));
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData()).hasSize(1);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dashboard.getData().values().iterator().next());
        assertThat(json.path("uid").asText()).isEqualTo("stripe-connector");
        assertThat(json.path("panels")).isNotEmpty().allSatisfy(panel -> assertThat(panel.path("targets")).as(panel.path("title").asText())
                .isNotEmpty());
        List<HasMetadata> rules = objects.stream().filter(o -> "PrometheusRule".equals(o.getKind())).toList();
        assertThat(rules).hasSize(1);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> alerts = (List<Map<String, Object>>) Manifests.at(rules.get(0), "spec", "groups", 0, "rules");
        assertThat(alerts).isNotEmpty().allSatisfy(alert -> {
            @SuppressWarnings("unchecked")
            Map<String, String> annotations = (Map<String, String>) alert.get("annotations");
            assertThat(annotations).as(String.valueOf(alert.get("alert"))).containsKeys("summary", "description", "runbook");
            assertThat(alert.get("expr")).as(String.valueOf(alert.get("alert"))).isNotNull();
        });
        // The restarts alert reads the service's container by its name in the Deployment.
        String container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
        assertThat(alerts).anySatisfy(alert -> assertThat(String.valueOf(alert.get("expr"))).contains("container=\"" + container + "\""));
    }

    /** One overlay's worst case: every pod the rollout may run at the HPA's maximum, against the database's slots. */
    record ConnectionBudget(String overlay, int pool, int maxReplicas, int surge, int maxConnections, int reserved, String database) {

        int pods() {
            return maxReplicas + surge;
        }

        int needed() {
            return pods() * (pool + BACKGROUND_CONNECTIONS_PER_POD);
        }

        int available() {
            return maxConnections - reserved;
        }

        @Override
        public String toString() {
            return "overlays/" + overlay + ": (" + maxReplicas + " replicas + " + surge + " surge) x (" + pool + " pooled + "
                    + BACKGROUND_CONNECTIONS_PER_POD + " background) = " + needed() + " connections; " + database + " max_connections "
                    + maxConnections + " - " + reserved + " superuser-reserved = " + available();
        }
    }

    static ConnectionBudget connectionBudget(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        Deployment deployment = one(objects, Deployment.class);
        Container container = onlyContainer(deployment);
        String poolSetting = effectiveSetting(objects, container, "QUARKUS_DATASOURCE_JDBC_MAX_SIZE");
        int pool = Integer.parseInt(poolSetting != null ? poolSetting
                : Manifests.applicationProperties().getProperty("quarkus.datasource.jdbc.max-size", Integer.toString(QUARKUS_DEFAULT_POOL_MAX_SIZE)));

        int maxReplicas = one(objects, HorizontalPodAutoscaler.class).getSpec().getMaxReplicas();
        var rollingUpdate = deployment.getSpec().getStrategy().getRollingUpdate();
        IntOrString maxSurge = rollingUpdate == null || rollingUpdate.getMaxSurge() == null ? new IntOrString("25%") : rollingUpdate.getMaxSurge();
        // Kubernetes rounds a percentage surge up.
        int surge = maxSurge.getIntVal() != null ? maxSurge.getIntVal()
                : (int) Math.ceil(maxReplicas * Integer.parseInt(maxSurge.getStrVal().replace("%", "")) / 100.0);

        List<GenericKubernetesResource> clusters = clusters(objects);
        if (!clusters.isEmpty()) {
            GenericKubernetesResource cluster = clusters.get(0);
            Object max = Manifests.at(cluster, "spec", "postgresql", "parameters", "max_connections");
            Object reserved = Manifests.at(cluster, "spec", "postgresql", "parameters", "superuser_reserved_connections");
            return new ConnectionBudget(overlay, pool, maxReplicas, surge,
                    max == null ? POSTGRESQL_DEFAULT_MAX_CONNECTIONS : Integer.parseInt(String.valueOf(max)),
                    reserved == null ? POSTGRESQL_DEFAULT_SUPERUSER_RESERVED_CONNECTIONS : Integer.parseInt(String.valueOf(reserved)),
                    "the Cluster " + cluster.getMetadata().getName() + "'s");
        }
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        String stated = annotations == null ? null : annotations.get(MAX_CONNECTIONS_ANNOTATION);
        return new ConnectionBudget(overlay, pool, maxReplicas, surge,
                stated == null ? POSTGRESQL_DEFAULT_MAX_CONNECTIONS : Integer.parseInt(stated),
                POSTGRESQL_DEFAULT_SUPERUSER_RESERVED_CONNECTIONS,
                stated == null ? "the external database's (PostgreSQL's default)" : "the external database's (" + MAX_CONNECTIONS_ANNOTATION + ")");
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void everyPodTheRolloutMayRunFitsInTheDatabasesConnections(String overlay) {
        ConnectionBudget budget = connectionBudget(overlay);
        System.out.println("DeployManifestsTest connection budget: " + budget);
        assertThat(budget.pool()).as(budget + ": the pool").isPositive();
        assertThat(budget.needed()).as("connection budget of " + budget
                + ": lower QUARKUS_DATASOURCE_JDBC_MAX_SIZE or the HPA's maxReplicas, or raise the database's max_connections (docs/operations.md)")
                .isLessThanOrEqualTo(budget.available());
    }

    @Test
    void theOperationsGuideStatesTodaysConnectionBudget() {
        String operations = read("docs/operations.md");
        for (String overlay : overlays()) {
            ConnectionBudget budget = connectionBudget(overlay);
            assertThat(operations).as("docs/operations.md states the budget of overlays/" + overlay)
                    .contains("| `" + overlay + "` | " + budget.pool() + " | " + budget.maxReplicas() + " + " + budget.surge() + " | "
                            + BACKGROUND_CONNECTIONS_PER_POD + " | " + budget.needed() + " | " + budget.maxConnections() + " − "
                            + budget.reserved() + " = " + budget.available() + " |");
        }
    }

    // ---- checks shared by the pieces and the rendered overlays ----

    /** Two ports; probes and Prometheus on the management one; the Service and the open policy rule on http only. */
    static void assertPortsProbesAndExposure(String where, Deployment deployment, Service service, NetworkPolicy policy,
            Map<String, String> cluster, List<String> databaseClusters) {
        Container container = onlyContainer(deployment);
        Map<String, Integer> ports = container.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        assertThat(ports).as(where + ": container ports").containsExactlyInAnyOrderEntriesOf(
                Map.of("http", httpPort(), "management", managementPort()));

        assertProbe(where, container.getStartupProbe(), managementRoot() + "/health/started");
        assertProbe(where, container.getReadinessProbe(), managementRoot() + "/health/ready");
        assertProbe(where, container.getLivenessProbe(), managementRoot() + "/health/live");

        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).as(where + ": Prometheus' prometheus.io/* pod annotations").containsAllEntriesOf(Map.of(
                "prometheus.io/scrape", "true",
                "prometheus.io/port", Integer.toString(managementPort()),
                "prometheus.io/path", metricsPath()));

        List<ServicePort> servicePorts = service.getSpec().getPorts();
        assertThat(servicePorts).as(where + ": the Service exposes the public port only").singleElement().satisfies(port -> {
            IntOrString target = port.getTargetPort();
            assertThat(Objects.equals(target.getStrVal(), "http") || Objects.equals(target.getIntVal(), httpPort()))
                    .as(where + ": the Service's targetPort " + target + " is the http port").isTrue();
        });

        assertPolicy(where, policy, cluster, databaseClusters);
    }

    static void assertProbe(String where, Probe probe, String path) {
        assertThat(probe).as(where + " " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(where).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(where + " " + path + " port").isEqualTo("management");
    }

    /**
     * 8080 from anywhere; 9000 from the node network (kubelet) and Prometheus' namespace only, as the cluster's values
     * say; known egress.
     */
    static void assertPolicy(String where, NetworkPolicy policy, Map<String, String> cluster, List<String> databaseClusters) {
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        assertThat(rules).as(where + ": an ingress rule without ports opens every port")
                .allSatisfy(rule -> assertThat(rule.getPorts()).isNotEmpty());
        assertThat(rules).flatExtracting(NetworkPolicyIngressRule::getPorts).extracting(p -> p.getPort().getIntVal())
                .as(where + ": ingress ports").containsExactlyInAnyOrder(httpPort(), managementPort());

        NetworkPolicyIngressRule open = rule(where, rules, httpPort());
        assertThat(open.getFrom()).as(where + ": the public port is open to any source").isNullOrEmpty();

        NetworkPolicyIngressRule management = rule(where, rules, managementPort());
        assertThat(management.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(managementPort());
        List<NetworkPolicyPeer> from = management.getFrom();
        assertThat(from).as(where + ": who may reach the management port").hasSize(2);
        assertThat(from).filteredOn(peer -> peer.getIpBlock() != null).as(where + ": the kubelet's node network")
                .singleElement().satisfies(peer -> {
                    assertThat(peer.getIpBlock().getCidr()).as(where + ": the nodes' network, NODE_CIDR").isEqualTo(cluster.get("NODE_CIDR"));
                    assertThat(peer.getIpBlock().getExcept()).isNullOrEmpty();
                    assertThat(peer.getNamespaceSelector()).isNull();
                    assertThat(peer.getPodSelector()).isNull();
                });
        assertThat(from).filteredOn(peer -> peer.getNamespaceSelector() != null).as(where + ": Prometheus' namespace")
                .singleElement().satisfies(peer -> {
                    assertThat(peer.getNamespaceSelector().getMatchLabels()).as(where + ": PROMETHEUS_NAMESPACE")
                            .containsExactlyEntriesOf(Map.of("kubernetes.io/metadata.name", cluster.get("PROMETHEUS_NAMESPACE")));
                    assertThat(peer.getNamespaceSelector().getMatchExpressions()).isNullOrEmpty();
                });

        assertEgress(where, policy, Manifests.configMap().getData(), cluster, databaseClusters);
    }

    /** The label that admits a pod inside the cluster as an event receiver (deploy/base/networkpolicy.yaml). */
    static final String EVENT_RECEIVER_LABEL = "stripe-connector/event-receiver";
    /** What the public HTTPS rule must leave out: private, shared and link-local (metadata) ranges. */
    static final List<String> INSIDE_IPV4 = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16");
    static final List<String> INSIDE_IPV6 = List.of("fc00::/7", "fe80::/10");

    static Set<Integer> ports(NetworkPolicyEgressRule rule) {
        return rule.getPorts().stream().map(p -> p.getPort().getIntVal()).collect(Collectors.toSet());
    }

    /**
     * Egress: DNS and PostgreSQL; HTTPS (Stripe, and event receivers outside the cluster on every port of
     * CONNECTOR_EVENTS_RECEIVER_PORTS) to public addresses only; event receivers inside the cluster only to pods that
     * carry the receiver label. Nothing else, and no rule that opens every port.
     */
    static void assertEgress(String where, NetworkPolicy policy, Map<String, String> settings, Map<String, String> cluster,
            List<String> databaseClusters) {
        List<NetworkPolicyEgressRule> rules = policy.getSpec().getEgress();
        assertThat(rules).as(where + ": an egress rule without ports opens every port").allSatisfy(rule -> assertThat(rule.getPorts()).isNotEmpty());
        assertThat(rules.stream().filter(rule -> rule.getTo() == null || rule.getTo().isEmpty()).flatMap(rule -> ports(rule).stream()).toList())
                .as(where + ": the ports open to any address: DNS only").containsOnly(53);
        assertDatabaseEgress(where, rules, cluster, databaseClusters);

        Set<Integer> outside = new java.util.TreeSet<>(Set.of(443));
        for (String port : settings.getOrDefault("CONNECTOR_EVENTS_RECEIVER_PORTS", "443").split(",")) {
            outside.add(Integer.parseInt(port.strip()));
        }
        List<NetworkPolicyEgressRule> toPublic = rules.stream().filter(rule -> !ports(rule).contains(POSTGRESQL_PORT))
                .filter(rule -> rule.getTo() != null && rule.getTo().stream().anyMatch(peer -> peer.getIpBlock() != null)).toList();
        assertThat(toPublic).as(where + ": one egress rule to public addresses").singleElement().satisfies(rule -> {
            assertThat(ports(rule)).as(where + ": Stripe's 443 and CONNECTOR_EVENTS_RECEIVER_PORTS").containsExactlyInAnyOrderElementsOf(outside);
            assertThat(rule.getTo()).as(where + ": public addresses, both families").hasSize(2).allSatisfy(peer -> {
                assertThat(peer.getPodSelector()).isNull();
                assertThat(peer.getNamespaceSelector()).isNull();
                String cidr = peer.getIpBlock().getCidr();
                assertThat(cidr).isIn("0.0.0.0/0", "::/0");
                assertThat(peer.getIpBlock().getExcept()).as(where + ": " + cidr + " leaves out private and metadata ranges")
                        .containsAll(cidr.contains(":") ? INSIDE_IPV6 : INSIDE_IPV4);
            });
        });

        List<NetworkPolicyEgressRule> inside = rules.stream().filter(rule -> rule.getTo() != null && rule.getTo().stream()
                .anyMatch(peer -> peer.getPodSelector() != null && peer.getPodSelector().getMatchLabels() != null
                        && peer.getPodSelector().getMatchLabels().containsKey(EVENT_RECEIVER_LABEL))).toList();
        assertThat(inside).as(where + ": one egress rule to event receivers inside the cluster").singleElement().satisfies(rule ->
                assertThat(rule.getTo()).as(where + ": only pods that carry " + EVENT_RECEIVER_LABEL + "=true, in any namespace")
                        .allSatisfy(peer -> {
                            assertThat(peer.getIpBlock()).isNull();
                            assertThat(peer.getPodSelector().getMatchLabels()).containsExactlyEntriesOf(Map.of(EVENT_RECEIVER_LABEL, "true"));
                            assertThat(peer.getPodSelector().getMatchExpressions()).isNullOrEmpty();
                        }));
        assertThat(rules).as(where + ": egress to DNS, PostgreSQL, public HTTPS and in-cluster receivers, nothing else").hasSize(4);
    }

    @Test
    void eventsReachTheirReceiversAndNeverPrivateAddressesOutsideTheAllowList() {
        NetworkPolicy policy = Manifests.read("base/networkpolicy.yaml", NetworkPolicy.class);
        for (String overlay : overlays()) {
            assertEgress("deploy/base with the settings of overlays/" + overlay, policy, mergedSettings(overlay), baseMarkers(), List.of());
        }
    }

    static NetworkPolicyIngressRule rule(String where, List<NetworkPolicyIngressRule> rules, int port) {
        List<NetworkPolicyIngressRule> matching = rules.stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> Objects.equals(p.getPort().getIntVal(), port))).toList();
        assertThat(matching).as(where + ": one ingress rule for port " + port).hasSize(1);
        return matching.get(0);
    }

    static void assertSelection(String where, Deployment deployment, Service service, PodDisruptionBudget pdb,
            HorizontalPodAutoscaler hpa, NetworkPolicy policy) {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).as(where + " Service").containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(podLabels).as(where + " PDB").containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).as(where + " NetworkPolicy").containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertDisruptionBudget(where, pdb, hpa, deployment);
    }

    /** The JVM options in the ConfigMap only (never the container's env), with the AOT cache; the heap holds the benchmark's. */
    static void assertJvmOptions(String where, Deployment deployment, Map<String, String> settings) {
        Container container = onlyContainer(deployment);
        List<String> env = container.getEnv() == null ? List.of() : container.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(env).as(where + ": container env").doesNotContain(JVM_OPTIONS, "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
        assertThat(settings.keySet()).as(where + ": ConfigMap").contains(JVM_OPTIONS).doesNotContain("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
        List<String> options = List.of(settings.get(JVM_OPTIONS).split(" "));
        assertThat(options).as(where + ": " + JVM_OPTIONS).contains(AOT_CACHE).noneMatch(o -> o.startsWith("-Xmx"));
        String percentage = "-XX:MaxRAMPercentage=";
        int ratio = Integer.parseInt(options.stream().filter(o -> o.startsWith(percentage)).findFirst().orElseThrow()
                .substring(percentage.length()));
        assertThat(ratio).as(where + ": " + percentage).isBetween(1, 90);
        Quantity limit = container.getResources().getLimits().get("memory");
        assertThat(limit.getNumericalAmount().multiply(BigDecimal.valueOf(ratio)).divide(BigDecimal.valueOf(100)))
                .as(where + ": the heap (-XX:MaxRAMPercentage of the memory limit) holds the live data and two uploads in flight")
                .isGreaterThanOrEqualTo(BigDecimal.valueOf(BENCHMARK_HEAP_BYTES));
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
