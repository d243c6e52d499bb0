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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
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
import org.junit.jupiter.params.provider.ValueSource;

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
            "CONNECTOR_API_KEYS", "CONNECTOR_ENCRYPTION_KEYS", "CONNECTOR_SERVICE_DOMAIN");
    static final Set<String> SECRET_SETTINGS = Set.of(
            "CONNECTOR_API_KEYS", "CONNECTOR_ENCRYPTION_KEYS", "CONNECTOR_STRIPE_WEBHOOK_SECRETS", "QUARKUS_DATASOURCE_PASSWORD");
    /** run-java.sh's variables that replace the JVM image's options (its defaults, the Dockerfile's JAVA_OPTS_APPEND). */
    static final Set<String> REPLACES_IMAGE_OPTIONS = Set.of("JAVA_OPTS", "JAVA_OPTIONS", "JAVA_OPTS_APPEND");
    /** The heap the benchmark ran with (docs/performance.md); the limit times JAVA_MAX_MEM_RATIO must give at least this. */
    static final long BENCHMARK_HEAP_BYTES = 256L * 1024 * 1024;
    static final String PROMETHEUS_NAMESPACE = "monitoring";

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

    /** The plain settings an overlay ends up with: the base's values with the overlay's merged over them. */
    static Map<String, String> mergedSettings(String overlay) {
        Map<String, String> settings = new LinkedHashMap<>(Manifests.configMap().getData());
        for (Map<String, Object> generator : Manifests.configMapGenerators("overlays/" + overlay)) {
            if (Manifests.CONFIG_NAME.equals(generator.get("name"))) {
                settings.putAll(Manifests.generatedData("overlays/" + overlay, generator));
            }
        }
        return settings;
    }

    @Test
    void everyManifestIsATypedKubernetesObject() {
        Map<Path, HasMetadata> manifests = Manifests.all();
        assertThat(manifests).isNotEmpty();
        manifests.forEach((path, object) -> {
            assertThat(object).as(path.toString()).isNotInstanceOf(GenericKubernetesResource.class);
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

        for (String overlay : List.of("overlays/dev", "overlays/prod")) {
            Map<String, Object> kustomization = Manifests.kustomization(overlay);
            assertThat(Manifests.list(kustomization, "resources")).containsExactly("../../base");
            assertThat(kustomization.get("namespace")).as(overlay + " namespace").isNotNull();
            for (String patch : Manifests.list(kustomization, "patches")) {
                HasMetadata patched = Manifests.read(Manifests.DEPLOY.resolve(overlay).resolve(patch));
                assertThat(baseObjects).as(overlay + "/" + patch).contains(patched.getKind() + "/" + patched.getMetadata().getName());
                assertThat(patched.getKind()).as(overlay + "/" + patch + ": settings are merged by the configMapGenerator")
                        .isNotEqualTo("ConfigMap");
            }
            for (Map<String, Object> generator : Manifests.configMapGenerators(overlay)) {
                assertThat(generator.get("name")).as(overlay + " generator").isEqualTo(Manifests.CONFIG_NAME);
                assertThat(generator.get("behavior")).as(overlay + " merges into the base's ConfigMap").isEqualTo("merge");
                assertThat(Manifests.generatedData(overlay, generator).keySet())
                        .as(overlay + " sets only settings the base knows (a misspelt key would be silently ignored)")
                        .isSubsetOf(Manifests.configMap().getData().keySet());
            }
        }
    }

    @Test
    void imageNamesAreConsistent() {
        String image = container().getImage();
        for (String overlay : List.of("overlays/dev", "overlays/prod")) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> images = (List<Map<String, Object>>) Manifests.kustomization(overlay).get("images");
            assertThat(images).as(overlay).hasSize(1);
            assertThat(images.get(0).get("name")).as(overlay).isEqualTo(image);
            assertThat(String.valueOf(images.get(0).get("newName"))).endsWith("/" + image);
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
            assertThat(text.lines().filter(l -> l.startsWith("USER ")).map(l -> l.substring(5).trim()).toList())
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
        assertPortsProbesAndExposure("deploy/base", deployment(),
                Manifests.read("base/service.yaml", Service.class),
                Manifests.read("base/networkpolicy.yaml", NetworkPolicy.class));
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
        String configuration = read("docs/configuration.md");
        Map<String, String> all = new HashMap<>(Manifests.configMap().getData());
        all.putAll(mergedSettings("dev"));
        all.putAll(mergedSettings("prod"));
        all.putAll(Manifests.secretTemplate().getStringData());
        all.keySet().stream().filter(k -> k.startsWith("CONNECTOR_") || k.startsWith("QUARKUS_"))
                .forEach(k -> assertThat(configuration).as(k + " in docs/configuration.md").contains("`" + k + "`"));
        assertThat(read("docs/deployment.md")).as("the heap setting in docs/deployment.md").contains("`JAVA_MAX_MEM_RATIO`");
    }

    @Test
    void theJvmImagesOwnOptionsAreKeptAndTheHeapIsAddedToThem() {
        // Dockerfile.jvm runs run-java.sh of a UBI OpenJDK image: it starts java with
        // ${JAVA_OPTS-<its defaults> ${JAVA_OPTS_APPEND}}, where the defaults hold -XX:MaxRAMPercentage from
        // JAVA_MAX_MEM_RATIO and -XX:+ExitOnOutOfMemoryError, and the Dockerfile sets JAVA_OPTS_APPEND.
        String dockerfile = read("src/main/docker/Dockerfile.jvm");
        assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList()).singleElement().asString()
                .contains("registry.access.redhat.com/ubi9/openjdk-").contains("-runtime:");
        assertThat(dockerfile).contains("ENTRYPOINT [ \"/opt/jboss/container/java/run/run-java.sh\" ]");
        assertThat(dockerfile.lines().filter(l -> l.startsWith("ENV JAVA_OPTS_APPEND=")).toList()).as("the image's own options")
                .singleElement().asString().contains("-Dquarkus.http.host=0.0.0.0", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");

        assertImageOptionsAppended("deploy/base", deployment(), Manifests.configMap().getData());
        for (String overlay : List.of("dev", "prod")) {
            assertImageOptionsAppended("deploy/overlays/" + overlay, deployment(), mergedSettings(overlay));
        }
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
    @ValueSource(strings = { "dev", "prod" })
    void everyRenderedObjectIsTypedAndInTheOverlaysNamespace(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        Object namespace = Manifests.kustomization("overlays/" + overlay).get("namespace");
        assertThat(objects).isNotEmpty().allSatisfy(object -> {
            assertThat(object).isNotInstanceOf(GenericKubernetesResource.class);
            assertThat(object.getMetadata().getNamespace()).as(object.getKind() + "/" + object.getMetadata().getName())
                    .isEqualTo(namespace);
        });
        assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
                "ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy");
        assertThat(all(objects, Secret.class)).as("the Secret is created by hand, never applied from git").isEmpty();
    }

    @ParameterizedTest(name = "overlays/{0}")
    @ValueSource(strings = { "dev", "prod" })
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
        for (EnvVar env : container.getEnv() == null ? List.<EnvVar> of() : container.getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                assertThat(env.getValueFrom().getSecretKeyRef().getName()).as(env.getName()).isEqualTo(template.getMetadata().getName());
                assertThat(template.getStringData()).as(env.getName()).containsKey(env.getValueFrom().getSecretKeyRef().getKey());
            }
            if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                ConfigMap referenced = configMaps.get(env.getValueFrom().getConfigMapKeyRef().getName());
                assertThat(referenced).as(env.getName() + ": a rendered ConfigMap").isNotNull();
                assertThat(referenced.getData()).as(env.getName()).containsKey(env.getValueFrom().getConfigMapKeyRef().getKey());
            }
        }

        Set<String> supplied = new HashSet<>(config.getData().keySet());
        supplied.addAll(template.getStringData().keySet());
        assertThat(supplied).containsAll(REQUIRED_IN_PROD);
        assertThat(config.getData().keySet()).as("secrets never sit in the ConfigMap").doesNotContainAnyElementsOf(SECRET_SETTINGS);
        assertImageOptionsAppended("rendered overlays/" + overlay, one(objects, Deployment.class), config.getData());
    }

    @ParameterizedTest(name = "overlays/{0}")
    @ValueSource(strings = { "dev", "prod" })
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
    @ValueSource(strings = { "dev", "prod" })
    void theRenderedOverlayProbesAndScrapesTheManagementPortAndServesOnlyHttp(String overlay) {
        List<HasMetadata> objects = rendered(overlay);
        assertPortsProbesAndExposure("rendered overlays/" + overlay, one(objects, Deployment.class),
                one(objects, Service.class), one(objects, NetworkPolicy.class));
        assertSelection("rendered overlays/" + overlay, one(objects, Deployment.class), one(objects, Service.class),
                one(objects, PodDisruptionBudget.class), one(objects, HorizontalPodAutoscaler.class), one(objects, NetworkPolicy.class));
    }

    @ParameterizedTest(name = "overlays/{0}")
    @ValueSource(strings = { "dev", "prod" })
    void theRenderedImageIsTheOverlays(String overlay) {
        @SuppressWarnings("unchecked")
        Map<String, Object> image = ((List<Map<String, Object>>) Manifests.kustomization("overlays/" + overlay).get("images")).get(0);
        Container container = onlyContainer(one(rendered(overlay), Deployment.class));
        assertThat(container.getImage()).isEqualTo(image.get("newName") + ":" + image.get("newTag"));
    }

    // ---- checks shared by the pieces and the rendered overlays ----

    /** Two ports; probes and Prometheus on the management one; the Service and the open policy rule on http only. */
    static void assertPortsProbesAndExposure(String where, Deployment deployment, Service service, NetworkPolicy policy) {
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

        assertPolicy(where, policy);
    }

    static void assertProbe(String where, Probe probe, String path) {
        assertThat(probe).as(where + " " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(where).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(where + " " + path + " port").isEqualTo("management");
    }

    /** 8080 from anywhere; 9000 from the node network (kubelet) and the monitoring namespace only; known egress. */
    static void assertPolicy(String where, NetworkPolicy policy) {
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
                    assertThat(peer.getIpBlock().getCidr()).matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}|[0-9a-fA-F:]+/\\d{1,3}");
                    assertThat(peer.getNamespaceSelector()).isNull();
                    assertThat(peer.getPodSelector()).isNull();
                });
        assertThat(from).filteredOn(peer -> peer.getNamespaceSelector() != null).as(where + ": Prometheus' namespace")
                .singleElement().satisfies(peer -> {
                    assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .containsExactlyEntriesOf(Map.of("kubernetes.io/metadata.name", PROMETHEUS_NAMESPACE));
                    assertThat(peer.getNamespaceSelector().getMatchExpressions()).isNullOrEmpty();
                });

        assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts())
                .extracting(NetworkPolicyPort::getPort).extracting(p -> p.getIntVal())
                .containsExactlyInAnyOrder(53, 53, 5432, 443);
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
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).as(where + ": the PDB leaves room to evict a pod")
                .isLessThan(hpa.getSpec().getMinReplicas());
    }

    /** No variable that would replace the image's options; the heap set through the image's JAVA_MAX_MEM_RATIO. */
    static void assertImageOptionsAppended(String where, Deployment deployment, Map<String, String> settings) {
        Container container = onlyContainer(deployment);
        List<String> env = container.getEnv() == null ? List.of() : container.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(env).as(where + ": container env").doesNotContainAnyElementsOf(REPLACES_IMAGE_OPTIONS);
        assertThat(settings.keySet()).as(where + ": ConfigMap").doesNotContainAnyElementsOf(REPLACES_IMAGE_OPTIONS);
        assertThat(settings).as(where).containsKey("JAVA_MAX_MEM_RATIO");
        int ratio = Integer.parseInt(settings.get("JAVA_MAX_MEM_RATIO"));
        assertThat(ratio).as(where + ": JAVA_MAX_MEM_RATIO").isBetween(1, 90);
        Quantity limit = container.getResources().getLimits().get("memory");
        assertThat(limit.getNumericalAmount().multiply(BigDecimal.valueOf(ratio)).divide(BigDecimal.valueOf(100)))
                .as(where + ": the heap (JAVA_MAX_MEM_RATIO of the memory limit) holds the benchmark's heap")
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
