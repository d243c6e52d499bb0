package dev.stripeconnector.common;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.Entity;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code quarkus.hibernate-orm.validation.enabled=false} skips Bean Validation at each flush, which is
 * right only while no entity carries a constraint: every value is checked where it enters (the API's
 * field checks). A constraint added to an entity would be silently ignored, so none may be.
 */
class EntityConstraintsTest {

    @Test
    void noEntityCarriesABeanValidationConstraint() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target", "classes");
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(p -> classes.relativize(p).toString()).filter(p -> p.endsWith(".class") && !p.contains("$"))
                    .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.')).toList();
        }
        List<String> constrained = new ArrayList<>();
        int entities = 0;
        for (String name : names) {
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            if (!type.isAnnotationPresent(Entity.class)) {
                continue;
            }
            entities++;
            for (Field field : type.getDeclaredFields()) {
                for (Annotation annotation : field.getAnnotations()) {
                    if (annotation.annotationType().getPackageName().startsWith("jakarta.validation")) {
                        constrained.add(type.getSimpleName() + "." + field.getName() + " @" + annotation.annotationType().getSimpleName());
                    }
                }
            }
        }
        assertThat(entities).isPositive();
        assertThat(constrained).isEmpty();
    }
}
