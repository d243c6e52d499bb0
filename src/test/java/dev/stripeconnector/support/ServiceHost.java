package dev.stripeconnector.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Every request a test makes through RestAssured names the configured service domain in its
 * {@code Host}, as a browser behind the ingress does (the browser routes refuse any other Host with
 * 421); a test that sends a {@code Host} of its own keeps it. Installed once per test JVM, for the
 * {@code @QuarkusTest}s and (with callbacks enabled for them in the POM) the packaged-jar ITs.
 */
public final class ServiceHost implements OrderedFilter, QuarkusTestBeforeEachCallback {

    private static final ServiceHost FILTER = new ServiceHost();

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        install();
    }

    /** Installs the filter, once. */
    public static void install() {
        synchronized (ServiceHost.class) {
            if (!RestAssured.filters().contains(FILTER)) {
                RestAssured.filters(FILTER);
            }
        }
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
        if (!request.getHeaders().hasHeaderWithName("Host")) {
            request.header("Host", TestKeys.SERVICE_DOMAIN);
        }
        return context.next(request, response);
    }
}
