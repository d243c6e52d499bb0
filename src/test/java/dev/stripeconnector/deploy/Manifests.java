package dev.stripeconnector.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** deploy/ read into typed Kubernetes objects, and the application's own settings to hold them against. */
final class Manifests {

    static final Path DEPLOY = Path.of("deploy");
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
            out.add(item instanceof Map<?, ?> map ? String.valueOf(map.get("path")) : String.valueOf(item));
        }
        return out;
    }

    static ConfigMap configMap() {
        return read("base/configmap.yaml", ConfigMap.class);
    }

    static Secret secretTemplate() {
        return read("secret.template.yaml", Secret.class);
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
}
