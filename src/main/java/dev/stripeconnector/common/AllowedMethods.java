package dev.stripeconnector.common;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which methods each path of the service answers, read from its resources once at start-up, so
 * that a {@code 405} can say in {@code Allow} what would have worked (the REST layer's own 405 does
 * not).
 */
@Startup
@ApplicationScoped
public class AllowedMethods {

    private static final Pattern TEMPLATE = Pattern.compile("\\{\\s*[^}:]+?\\s*(?::\\s*([^}]+))?}");

    private record Route(Pattern path, Set<String> methods) {
    }

    private final BeanManager beans;
    private List<Route> routes = List.of();

    public AllowedMethods(BeanManager beans) {
        this.beans = beans;
    }

    @PostConstruct
    void init() {
        Map<String, Set<String>> byTemplate = new TreeMap<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String template = join(root.value(), sub == null ? "" : sub.value());
                Set<String> methods = byTemplate.computeIfAbsent(template, t -> new TreeSet<>());
                methods.add(verb);
                if (verb.equals("GET")) {
                    methods.add("HEAD");
                }
            }
        }
        List<Route> found = new ArrayList<>();
        byTemplate.forEach((template, methods) -> found.add(new Route(Pattern.compile(regex(template)), Set.copyOf(methods))));
        routes = List.copyOf(found);
    }

    /** The methods {@code path} answers, comma-separated as {@code Allow} wants them, or null when none is known. */
    public String allowFor(String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (route.path().matcher(path).matches()) {
                allowed.addAll(route.methods());
            }
        }
        return allowed.isEmpty() ? null : String.join(", ", allowed);
    }

    private static String verb(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** A JAX-RS path template as a regular expression: {name} is one segment, {name: regex} its regex. */
    static String regex(String template) {
        StringBuilder out = new StringBuilder();
        Matcher m = TEMPLATE.matcher(template);
        int last = 0;
        while (m.find()) {
            out.append(Pattern.quote(template.substring(last, m.start())));
            out.append(m.group(1) != null ? "(?:" + m.group(1).trim() + ")" : "[^/]+");
            last = m.end();
        }
        out.append(Pattern.quote(template.substring(last)));
        return out.toString();
    }
}
