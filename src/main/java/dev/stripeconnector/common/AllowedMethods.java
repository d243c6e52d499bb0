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
import java.util.Comparator;
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
 * not), and which route template a path belongs to, so that metrics name routes, never paths.
 */
@Startup
@ApplicationScoped
public class AllowedMethods {

    private static final String SERVICE_PACKAGE = "dev.stripeconnector.";
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\s*[^}:]+?\\s*(?::\\s*([^}]+))?}");

    /** A template as metrics show it ({@code {name}}, without its regular expression), its pattern and methods. */
    private record Route(String template, Pattern path, Set<String> methods) {
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
            // Only the service's own classes hold its resources: reading every library bean's annotations cost start-up time.
            if (!type.getName().startsWith(SERVICE_PACKAGE)) {
                continue;
            }
            Path root = type.getAnnotation(Path.class);
            if (root == null || type.isInterface()) {
                // An interface with @Path is a REST client (Stripe's API), not a route of this service.
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
        byTemplate.forEach((template, methods) -> found.add(
                new Route(TEMPLATE.matcher(template).replaceAll(m -> "{" + name(m.group()) + "}"), Pattern.compile(regex(template)),
                        Set.copyOf(methods))));
        // The most specific first, as JAX-RS matches: more literal characters, then fewer parameters.
        found.sort(Comparator.comparingInt((Route r) -> -literalLength(r.template())).thenComparingInt(r -> parameters(r.template())));
        routes = List.copyOf(found);
    }

    /**
     * The template of the route {@code path} belongs to ({@code /api/v1/accounts/{accountId}/connector}),
     * or null when no route of the service matches it. A template matches itself, also as the REST
     * layer spells it ({@code {path: .*}}), so either can be given.
     */
    public String templateOf(String path) {
        for (Route route : routes) {
            if (route.path().matcher(path).matches()) {
                return route.template();
            }
        }
        return null;
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

    private static String name(String parameter) {
        String inside = parameter.substring(1, parameter.length() - 1);
        int colon = inside.indexOf(':');
        return (colon < 0 ? inside : inside.substring(0, colon)).trim();
    }

    private static int literalLength(String template) {
        return TEMPLATE.matcher(template).replaceAll("").length();
    }

    private static int parameters(String template) {
        return (int) TEMPLATE.matcher(template).results().count();
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
