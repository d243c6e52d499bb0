package dev.stripeconnector.common;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

/** The simulated Stripe of dev mode is not part of the packaged application. */
@QuarkusIntegrationTest
class SimulatedStripeAbsentIT {

    @Test
    void thePackagedApplicationHasNoSimulatedStripe() {
        given().get("/simulated-stripe/oauth/authorize?client_id=ca_1&redirect_uri=x").then().statusCode(404);
        given().contentType("application/x-www-form-urlencoded").body("grant_type=authorization_code&code=ac_1")
                .post("/simulated-stripe/oauth/token").then().statusCode(404);
        given().get("/simulated-stripe/v1/account").then().statusCode(404);
    }
}
