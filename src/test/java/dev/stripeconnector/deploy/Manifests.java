package dev.stripeconnector.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * deploy/ read into typed Kubernetes objects, both as its pieces and as {@code kubectl kustomize}
 * renders each overlay, and the application's own settings to hold them against.
 */
final class Manifests {

    static final Path DEPLOY = Path.of("deploy");
    /** The name of the base's generated ConfigMap, before kustomize appends the hash of its content. */
    static final String CONFIG_NAME = "stripe-connector-config";
    /**
     * The ConfigMap an overlay generates from its cluster.env: the cluster's own values (node network, database
     * addresses, ...), which components copy into the objects while rendering; never applied.
     */
    static final String CLUSTER_VALUES_NAME = "stripe-connector-cluster";
    /** The annotation that keeps a rendered object out of kustomize's output: it serves the render only. */
    static final String LOCAL_CONFIG = "config.kubernetes.io/local-config";
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {
    }

    /** Every Kubernetes manifest under deploy/ (not the kustomization files), by path. */
    static Map<Path, HasMetadata> all() {
        Map<Path, HasMetadata> manifests = new LinkedHashMap<>();
        for (Path file : yamlFiles()) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                manifests.put(file, read(file));
            }
        }
        return manifests;
    }

    static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HasMetadata read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Object parsed = KUBERNETES.unmarshal(in);
            if (!(parsed instanceof HasMetadata typed)) {
                throw new AssertionError(file + " is not a single Kubernetes object");
            }
            return typed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T extends HasMetadata> T read(String path, Class<T> type) {
        HasMetadata object = read(DEPLOY.resolve(path));
        if (!type.isInstance(object)) {
            throw new AssertionError(path + " is a " + object.getClass().getSimpleName() + ", not a " + type.getSimpleName());
        }
        return type.cast(object);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> kustomization(String folder) {
        try {
            return YAML.readValue(DEPLOY.resolve(folder).resolve("kustomization.yaml").toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> list(Map<String, Object> kustomization, String key) {
        Object value = kustomization.get(key);
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object item : (List<Object>) value) {
            if (item instanceof Map<?, ?> map) {
                // An inline patch (patch: |- ...) names no file; what it does is checked on the rendered overlay.
                if (map.get("path") != null) {
                    out.add(String.valueOf(map.get("path")));
                }
            } else {
                out.add(String.valueOf(item));
            }
        }
        return out;
    }

    /** The configMapGenerator entries of a kustomization folder. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> configMapGenerators(String folder) {
        Object generators = kustomization(folder).get("configMapGenerator");
        return generators == null ? List.of() : (List<Map<String, Object>>) generators;
    }

    /** The values one generator entry of {@code folder} holds: its env files, then its literals. */
    @SuppressWarnings("unchecked")
    static Map<String, String> generatedData(String folder, Map<String, Object> generator) {
        Map<String, String> data = new LinkedHashMap<>();
        for (Object env : (List<Object>) generator.getOrDefault("envs", List.of())) {
            data.putAll(envFile(DEPLOY.resolve(folder).resolve(String.valueOf(env))));
        }
        for (Object literal : (List<Object>) generator.getOrDefault("literals", List.of())) {
            String[] pair = String.valueOf(literal).split("=", 2);
            data.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        return data;
    }

    /** A kustomize env file: KEY=value lines taken literally; blank lines and # comments skipped. */
    static Map<String, String> envFile(Path file) {
        Map<String, String> data = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                String[] pair = line.split("=", 2);
                if (pair.length != 2) {
                    throw new AssertionError(file + ": not a KEY=value line: " + line);
                }
                data.put(pair[0].strip(), pair[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return data;
    }

    /**
     * The values of the generators named {@code name} an overlay ends up with: those of each overlay it builds on
     * and of their components, then its own components' and its own, in the order kustomize applies them.
     */
    static Map<String, String> mergedGenerated(String overlayFolder, String name) {
        List<String> layers = new ArrayList<>();
        for (String parent : parentOverlays(overlayFolder)) {
            layers.addAll(components(parent));
            layers.add(parent);
        }
        layers.addAll(components(overlayFolder));
        layers.add(overlayFolder);
        Map<String, String> values = new LinkedHashMap<>();
        for (String layer : layers) {
            for (Map<String, Object> generator : configMapGenerators(layer)) {
                if (name.equals(generator.get("name"))) {
                    values.putAll(generatedData(layer, generator));
                }
            }
        }
        return values;
    }

    /** The base's plain settings as the ConfigMap kustomize generates from them (name without the hash). */
    static ConfigMap configMap() {
        Map<String, Object> generator = configMapGenerators("base").stream()
                .filter(g -> CONFIG_NAME.equals(g.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("deploy/base has no configMapGenerator named " + CONFIG_NAME));
        return new ConfigMapBuilder().withNewMetadata().withName(CONFIG_NAME).endMetadata()
                .withData(generatedData("base", generator)).build();
    }

    static Secret secretTemplate() {
        return read("secret.template.yaml", Secret.class);
    }

    /** The overlays: every folder under deploy/overlays with a kustomization.yaml, as "dev", "prod", ... */
    static List<String> overlays() {
        try (Stream<Path> folders = Files.list(DEPLOY.resolve("overlays"))) {
            return folders.filter(f -> Files.exists(f.resolve("kustomization.yaml")))
                    .map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code relative} (a path in the kustomization of deploy/{@code folder}) as a folder under deploy/. */
    static String resolve(String folder, String relative) {
        return DEPLOY.relativize(DEPLOY.resolve(folder).resolve(relative).normalize()).toString().replace(File.separatorChar, '/');
    }

    /**
     * The overlays an overlay builds on, nearest last: for overlays/prod-cloudnativepg (resources: ../prod) that
     * is [overlays/prod]; for an overlay on ../../base, none.
     */
    static List<String> parentOverlays(String folder) {
        List<String> parents = new ArrayList<>();
        for (String resource : list(kustomization(folder), "resources")) {
            String resolved = resolve(folder, resource);
            if (resolved.startsWith("overlays/")) {
                parents.addAll(parentOverlays(resolved));
                parents.add(resolved);
            }
        }
        return parents;
    }

    /** The components a kustomization folder uses directly, as folders under deploy/. */
    static List<String> components(String folder) {
        return list(kustomization(folder), "components").stream().map(c -> resolve(folder, c)).toList();
    }

    /** The components an overlay ends up with, its parents' included. */
    static List<String> allComponents(String folder) {
        List<String> all = new ArrayList<>();
        for (String parent : parentOverlays(folder)) {
            all.addAll(components(parent));
        }
        all.addAll(components(folder));
        return all;
    }

    /** Any Kubernetes object, typed or generic, as the plain tree of its YAML. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> tree(HasMetadata object) {
        try {
            return YAML.readValue(KUBERNETES.asYaml(object), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at {@code path} (map keys and list indexes) in an object's tree, or null. */
    static Object at(HasMetadata object, Object... path) {
        Object current = tree(object);
        for (Object step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step instanceof Integer index && index < list.size()) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return current;
    }

    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** kubectl on PATH, if any. */
    static Optional<Path> kubectl() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * The objects {@code kubectl kustomize deploy/<folder>} renders: typed where fabric8 knows the kind, custom
     * resources (CloudNativePG, Barman Cloud, Prometheus Operator) as {@link GenericKubernetesResource}; fails
     * when kubectl does.
     */
    static List<HasMetadata> render(String folder) {
        return RENDERED.computeIfAbsent(folder, f -> renderDirectory(DEPLOY.resolve(f)));
    }

    /** What {@code kubectl kustomize <directory>} renders, for kustomizations written by the tests themselves. */
    static List<HasMetadata> renderDirectory(Path directory) {
        Path kubectl = kubectl().orElseThrow(() -> new IllegalStateException("kubectl is not on PATH"));
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", directory.toString())
                    .redirectError(errors.toFile()).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + directory + " did not finish in 60 s");
            }
            String stderr = Files.readString(errors);
            Files.delete(errors);
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + directory + " failed:\n" + stderr);
            }
            List<HasMetadata> objects = new ArrayList<>();
            for (String document : output.split("(?m)^---\\s*$")) {
                if (document.isBlank()) {
                    continue;
                }
                Object parsed = KUBERNETES.unmarshal(document);
                if (!(parsed instanceof HasMetadata typed)) {
                    throw new AssertionError(directory + " renders something that is not a Kubernetes object:\n" + document);
                }
                objects.add(typed);
            }
            return List.copyOf(objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
