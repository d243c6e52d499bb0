package dev.stripeconnector.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The re-encryption job and the removed-key check know every secret column only through
 * {@link StoredSecrets}: every entity field of type {@link Secret} must be listed there.
 */
class StoredSecretsTest {

    @Test
    void everySecretColumnOfEveryEntityIsListed() throws IOException, ClassNotFoundException {
        Map<String, Set<String>> inEntities = new HashMap<>();
        Path classes = Path.of("target", "classes");
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(p -> classes.relativize(p).toString()).filter(p -> p.endsWith(".class") && !p.contains("$"))
                    .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.')).toList();
        }
        for (String name : names) {
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            if (!type.isAnnotationPresent(Entity.class)) {
                continue;
            }
            for (Field field : type.getDeclaredFields()) {
                if (field.getType() == Secret.class) {
                    Column column = field.getAnnotation(Column.class);
                    String columnName = column != null && !column.name().isEmpty() ? column.name() : field.getName();
                    inEntities.computeIfAbsent(type.getAnnotation(Table.class).name(), t -> new TreeSet<>()).add(columnName);
                }
            }
        }
        Map<String, Set<String>> listed = new HashMap<>();
        StoredSecrets.TABLES.forEach(table -> listed.put(table.name(), new TreeSet<>(table.columns())));
        assertThat(inEntities).isNotEmpty().isEqualTo(listed);
    }
}
