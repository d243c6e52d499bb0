package dev.stripeconnector.maintenance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.crypto.SecretCipher;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.Management;
import dev.stripeconnector.support.PartnerDomains;
import dev.stripeconnector.support.TestPartners;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Re-encryption while the service is in use: with k2 primary and k1 still listed, every value
 * written under k1 is rewritten under k2 once, even by several runs at once, while credential reads
 * and refreshes of the same rows go on without a single failure.
 */
@QuarkusTest
@TestProfile(ReEncryptionTest.OldAndNewKey.class)
class ReEncryptionTest {

    public static class OldAndNewKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.encryption-keys", TestKeys.ENCRYPTION_KEY_2 + "," + TestKeys.ENCRYPTION_KEY_1);
        }
    }

    static final int ACCOUNTS = 60;

    @InjectWireMock
    WireMockServer stripe;

    @Inject
    ReEncryption reEncryption;

    /** What a replica still on the old primary key wrote. */
    static final SecretCipher OLD = SecretCipher.of(TestKeys.ENCRYPTION_KEY_1);

    void seedUnderTheOldKey() {
        Api.resetDatabase();
        stripe.resetAll();
        Flows.consoleSetup();
        for (int i = 0; i < ACCOUNTS; i++) {
            Flows.connect(stripe, "re-" + i);
        }
        // Rewrite every stored secret as a replica with only k1 would have written it.
        Api.update("update connector_settings set client_secret = ?", OLD.encrypt(Flows.SECRET));
        Api.update("update account_connector set access_token = ?, refresh_token = ?", OLD.encrypt(Flows.ACCESS_TOKEN),
                OLD.encrypt(Flows.REFRESH_TOKEN));
    }

    @Test
    void everyValueIsRewrittenOnceWhileRequestsGoOn() throws Exception {
        seedUnderTheOldKey();
        assertThat(reEncryption.status().remaining()).isEqualTo(1 + 2 * ACCOUNTS);
        StripeStubs.tokenAnswers(stripe, 200, "token-refreshed.json");

        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicBoolean busy = new AtomicBoolean(true);
        try {
            // Requests on the same rows during the run: credential reads and token refreshes.
            List<Future<List<Integer>>> traffic = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int lane = t;
                traffic.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = lane; busy.get() || i < lane + 30; i += 3) {
                        String account = "re-" + (i % ACCOUNTS);
                        statuses.add(given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY)
                                .get("/api/v1/accounts/" + account + "/connector/credentials").statusCode());
                        if (i % 9 == 0) {
                            statuses.add(Api.api().post("/api/v1/accounts/" + account + "/connector/refresh").statusCode());
                        }
                    }
                    return statuses;
                }));
            }
            // Two runs at once, as two replicas would.
            Future<Long> one = pool.submit(reEncryption::run);
            Future<Long> two = pool.submit(reEncryption::run);
            long rewritten = one.get() + two.get();
            busy.set(false);
            for (Future<List<Integer>> lane : traffic) {
                assertThat(lane.get()).as("every request during the re-encryption").allMatch(status -> status == 200);
            }
            assertThat(rewritten).as("rows rewritten by both runs together").isLessThanOrEqualTo(1 + ACCOUNTS);
        } finally {
            busy.set(false);
            pool.shutdownNow();
        }
        // Rows a request held were skipped by the runs and rewritten by the request itself, under k2.
        ReEncryption.Status status = reEncryption.status();
        if (status.remaining() > 0) {
            reEncryption.run();
            status = reEncryption.status();
        }
        assertThat(status.remaining()).isZero();
        assertThat(Api.queryString("select count(*) from account_connector where access_token like 'v1:k1:%' or refresh_token like 'v1:k1:%'"))
                .isEqualTo("0");
        // Every value still reads back.
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/re-7/connector/credentials")
                .then().statusCode(200).body("accessToken", org.hamcrest.Matchers.startsWith("sk_test_"));
        Api.api().get("/api/v1/connector").then().statusCode(200).body("clientSecret.last4", org.hamcrest.Matchers.equalTo("9999"));
    }

    @Test
    void theProgressReportCountsEveryValueByKeyAndTheMetricFollows() {
        seedUnderTheOldKey();
        given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).get("/api/v1/maintenance/encryption").then().statusCode(200)
                .body("primaryKeyId", org.hamcrest.Matchers.equalTo("k2"))
                .body("keys.find { it.keyId == 'k1' }.values", org.hamcrest.Matchers.equalTo(1 + 2 * ACCOUNTS))
                .body("keys.find { it.keyId == 'k1' }.configured", org.hamcrest.Matchers.equalTo(true))
                .body("remaining", org.hamcrest.Matchers.equalTo(1 + 2 * ACCOUNTS));
        reEncryption.run();
        given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).get("/api/v1/maintenance/encryption").then()
                .body("remaining", org.hamcrest.Matchers.equalTo(0))
                .body("keys.find { it.keyId == 'k2' }.values", org.hamcrest.Matchers.equalTo(1 + 2 * ACCOUNTS));
        // In the operators' audit trail: each batch rewritten, by the re-encryption run, naming its table and columns.
        assertThat(Api.queryString("select string_agg(distinct subject || ':' || fields, ' ') from audit_record where partner_id is null"
                + " and action = 'secrets.re-encrypt' and actor_kind = 'system' and actor_name = 're-encryption'"))
                .contains("connector_settings:").contains("account_connector:client_secret,access_token,refresh_token");
        String metrics = given().get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        assertThat(metrics).contains("connector_encryption_values{key_id=\"k1\"} 0.0")
                .containsPattern("connector_encryption_rewritten_total \\d+\\.0");
    }

    /**
     * Two partners may each store a secret for the same client ID, and partners' console setups hold
     * webhook secrets: every one is rewritten, each row with its own value.
     */
    @Test
    void eachPartnersSecretsAreRewrittenInTheirOwnRows() {
        Api.resetDatabase();
        Api.deletePartnersButDefault();
        TestPartners.create("alpha", "stripe.alpha.example");
        TestPartners.create("beta", "stripe.beta.example");
        for (String partner : List.of("alpha", "beta")) {
            Api.update("insert into platform_webhook (partner_id, client_id, signing_secret, updated_at) values (?, 'ca_SharedClient1', ?, now())",
                    partner, OLD.encrypt("whsec_" + partner + "PlatformSecret1"));
            Api.update("update connector_settings set webhook_signing_secret = ?, previous_webhook_signing_secret = ? where partner_id = ?",
                    OLD.encrypt("whsec_" + partner + "ConsoleSecret01"), OLD.encrypt("whsec_" + partner + "ConsoleSecret00"), partner);
        }
        try {
            reEncryption.run();
            SecretCipher current = SecretCipher.of(TestKeys.ENCRYPTION_KEY_2);
            for (String partner : List.of("alpha", "beta")) {
                String platform = Api.queryString("select signing_secret from platform_webhook where partner_id = ?", partner);
                assertThat(platform).startsWith("v1:k2:");
                assertThat(current.decrypt(platform)).isEqualTo("whsec_" + partner + "PlatformSecret1");
                String console = Api.queryString("select webhook_signing_secret from connector_settings where partner_id = ?", partner);
                String previous = Api.queryString("select previous_webhook_signing_secret from connector_settings where partner_id = ?", partner);
                assertThat(current.decrypt(console)).isEqualTo("whsec_" + partner + "ConsoleSecret01");
                assertThat(current.decrypt(previous)).isEqualTo("whsec_" + partner + "ConsoleSecret00");
            }
            assertThat(reEncryption.status().remaining()).isZero();
        } finally {
            Api.deletePartnersButDefault();
        }
    }
}
