package dev.stripeconnector.observability;

import dev.stripeconnector.common.UnknownMethods;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Keeps the tags of the HTTP server's metrics ({@code http_server_requests} and its siblings) to values the
 * service itself defines. Vert.x records every request, answered by a route or refused before any, with the
 * method and path it arrived with; left alone, each made-up method or path would become a series of its own.
 * <ul>
 * <li>{@code method}: HTTP's standard methods as they are; any other token as {@code OTHER};</li>
 * <li>{@code uri}: the template of the route the path belongs to, whether or not the route answered (a
 *     refusal before routing arrives here as the raw path); Quarkus' own stand-ins ({@code NOT_FOUND},
 *     {@code REDIRECTION}, {@code root}, {@code UNKNOWN}) as they are; anything else as {@code /{unknown}}.</li>
 * </ul>
 * Both stand-ins are counted in {@link MetricsOverflow}.
 */
final class HttpServerTags implements MeterFilter {

    static final String OTHER_METHOD = "OTHER";
    static final String UNKNOWN_ROUTE = "/{unknown}";
    private static final String HTTP_SERVER = "http.server.";
    private static final Set<String> QUARKUS_STAND_INS = Set.of("NOT_FOUND", "REDIRECTION", "root", "UNKNOWN", UNKNOWN_ROUTE);

    private final UnaryOperator<String> templateOf;
    private final MetricsOverflow overflow;

    /** @param templateOf the route template a path (or a template) belongs to, or null when none */
    HttpServerTags(UnaryOperator<String> templateOf, MetricsOverflow overflow) {
        this.templateOf = templateOf;
        this.overflow = overflow;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(HTTP_SERVER)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean changed = false;
        for (Tag tag : id.getTagsAsIterable()) {
            String value = switch (tag.getKey()) {
                case "method" -> method(tag.getValue());
                case "uri" -> uri(tag.getValue());
                default -> tag.getValue();
            };
            changed |= !value.equals(tag.getValue());
            tags.add(Tag.of(tag.getKey(), value));
        }
        return changed ? id.replaceTags(tags) : id;
    }

    private String method(String method) {
        if (UnknownMethods.STANDARD.contains(method)) {
            return method;
        }
        overflow.count(MetricsOverflow.Kind.METHOD);
        return OTHER_METHOD;
    }

    private String uri(String uri) {
        if (QUARKUS_STAND_INS.contains(uri)) {
            return uri;
        }
        String template = templateOf.apply(uri);
        if (template != null) {
            return template;
        }
        overflow.count(MetricsOverflow.Kind.PATH);
        return UNKNOWN_ROUTE;
    }
}
