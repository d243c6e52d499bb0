package dev.stripeconnector.support;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The browser routes, read from the service's own resources: every JAX-RS operation under
 * {@code /console} and {@code /connector}, as its method and path template ({@code {accountId}} left in).
 */
public final class BrowserRoutes {

    /** One route: its HTTP method and its path template. */
    public record Route(String method, String template) {
    }

    private BrowserRoutes() {
    }

    public static List<Route> fromResources() {
        List<Route> routes = new ArrayList<>();
        java.nio.file.Path classes = java.nio.file.Path.of("target", "classes");
        try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("dev/stripeconnector"))) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, BrowserRoutes.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                Path root = type.getAnnotation(Path.class);
                if (root == null || !(root.value().startsWith("/console") || root.value().startsWith("/connector"))) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    for (Annotation annotation : method.getAnnotations()) {
                        HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
                        if (verb != null) {
                            Path sub = method.getAnnotation(Path.class);
                            String path = (root.value() + (sub == null ? "" : "/" + sub.value())).replaceAll("/+", "/");
                            routes.add(new Route(verb.value(), path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return routes;
    }
}
