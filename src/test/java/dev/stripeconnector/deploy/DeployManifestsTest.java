package dev.stripeconnector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Fails when deploy/ drifts from the code: ports, probes, settings, images, security and
 * shutdown timing are read from the manifests as typed objects and held against the
 * application's configuration, the Dockerfiles and the README.
 */
class DeployManifestsTest {

    /** What the packaged application refuses to start without (see StartupRefusalIT). */
    static final Set<String> REQUIRED_IN_PROD = Set.of(
            "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
            "CONNECTOR_API_KEYS", "CONNECTOR_ENCRYPTION_KEYS", "CONNECTOR_SERVICE_DOMAIN");
    static final Set<String> SECRET_SETTINGS = Set.of(
            "CONNECTOR_API_KEYS", "CONNECTOR_ENCRYPTION_KEYS", "CONNECTOR_STRIPE_WEBHOOK_SECRETS", "QUARKUS_DATASOURCE_PASSWORD");

    static Deployment deployment() {
        return Manifests.read("base/deployment.yaml", Deployment.class);
    }

    static PodSpec pod() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    static Container container() {
        assertThat(pod().getContainers()).hasSize(1);
        return pod().getContainers().get(0);
    }

    static int httpPort() {
        return Integer.parseInt(Manifests.applicationProperties().getProperty("quarkus.http.port", "8080"));
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
    void kustomizationsListFilesThatExistAndPatchObjectsOfTheBase() {
        Map<String, Object> base = Manifests.kustomization("base");
        List<String> resources = Manifests.list(base, "resources");
        assertThat(resources).isNotEmpty();
        Set<String> baseObjects = resources.stream()
                .map(r -> Manifests.read(Manifests.DEPLOY.resolve("base").resolve(r)))
                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(resources).doesNotContain("../secret.template.yaml", "secret.template.yaml");
        for (String overlay : List.of("overlays/dev", "overlays/prod")) {
            Map<String, Object> kustomization = Manifests.kustomization(overlay);
            assertThat(Manifests.list(kustomization, "resources")).containsExactly("../../base");
            assertThat(kustomization.get("namespace")).as(overlay + " namespace").isNotNull();
            for (String patch : Manifests.list(kustomization, "patches")) {
                HasMetadata patched = Manifests.read(Manifests.DEPLOY.resolve(overlay).resolve(patch));
                assertThat(baseObjects).as(overlay + "/" + patch).contains(patched.getKind() + "/" + patched.getMetadata().getName());
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
    void theContainerPortIsTheApplicationsHttpPort() throws IOException {
        ContainerPort port = container().getPorts().get(0);
        assertThat(port.getContainerPort()).isEqualTo(httpPort());
        assertThat(port.getName()).isEqualTo("http");
        for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.native-micro")) {
            String text = read("src/main/docker/" + dockerfile);
            assertThat(text).as(dockerfile).contains("EXPOSE " + httpPort()).contains("-Dquarkus.http.host=0.0.0.0");
            assertThat(text.lines().filter(l -> l.startsWith("USER ")).map(l -> l.substring(5).trim()).toList())
                    .as(dockerfile + " runs as a numeric, non-root user")
                    .singleElement().satisfies(user -> assertThat(Integer.parseInt(user)).isPositive());
        }
    }

    @Test
    void probesUseTheHealthEndpoints() {
        Container c = container();
        assertProbe(c.getStartupProbe(), "/q/health/started");
        assertProbe(c.getReadinessProbe(), "/q/health/ready");
        assertProbe(c.getLivenessProbe(), "/q/health/live");
        assertThat(Manifests.applicationProperties().getProperty("quarkus.smallrye-health.root-path")).isNull();
        assertThat(Manifests.applicationProperties().getProperty("quarkus.http.non-application-root-path")).isNull();
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    @Test
    void everySettingTheServiceRequiresInProdIsSupplied() {
        Map<String, String> config = Manifests.configMap().getData();
        Map<String, String> secret = Manifests.secretTemplate().getStringData();
        Set<String> supplied = new java.util.HashSet<>(config.keySet());
        supplied.addAll(secret.keySet());
        assertThat(supplied).containsAll(REQUIRED_IN_PROD);
        assertThat(secret.keySet()).containsExactlyInAnyOrderElementsOf(SECRET_SETTINGS);
        assertThat(config.keySet()).as("secrets never sit in the ConfigMap").doesNotContainAnyElementsOf(SECRET_SETTINGS);

        List<EnvFromSource> envFrom = container().getEnvFrom();
        assertThat(envFrom).extracting(e -> e.getConfigMapRef() == null ? null : e.getConfigMapRef().getName())
                .contains(Manifests.configMap().getMetadata().getName());
        assertThat(envFrom).extracting(e -> e.getSecretRef() == null ? null : e.getSecretRef().getName())
                .contains(Manifests.secretTemplate().getMetadata().getName());
    }

    @Test
    void everySettingInTheManifestsIsDocumentedInTheReadme() {
        String readme = read("docs/configuration.md");
        Map<String, String> all = new HashMap<>(Manifests.configMap().getData());
        all.putAll(Manifests.secretTemplate().getStringData());
        all.keySet().stream().filter(k -> k.startsWith("CONNECTOR_") || k.startsWith("QUARKUS_"))
                .forEach(k -> assertThat(readme).as(k + " in docs/configuration.md").contains("`" + k + "`"));
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
    void rollingUpdatesKeepEveryReplicaServingAndResourcesAreSized() {
        Deployment deployment = deployment();
        assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
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
        Map<String, String> podLabels = deployment().getSpec().getTemplate().getMetadata().getLabels();
        Service service = Manifests.read("base/service.yaml", Service.class);
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");

        PodDisruptionBudget pdb = Manifests.read("base/poddisruptionbudget.yaml", PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isLessThan(deployment().getSpec().getReplicas());

        HorizontalPodAutoscaler hpa = Manifests.read("base/horizontalpodautoscaler.yaml", HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment().getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);

        NetworkPolicy policy = Manifests.read("base/networkpolicy.yaml", NetworkPolicy.class);
        assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).flatExtracting(r -> r.getPorts())
                .extracting(p -> p.getPort().getIntVal()).containsExactly(httpPort());
        assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts())
                .extracting(NetworkPolicyPort::getPort).extracting(p -> p.getIntVal())
                .containsExactlyInAnyOrder(53, 53, 5432, 443);
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
