package dk.geofasync.sandbox.geofa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dk.geofasync.sandbox.junit.MutableClock;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GC2's rate limit of API v4 per access token and calendar minute, on the fake's clock. */
class RateLimitTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    static final int LIMIT = 5;
    static final String TOO_MANY = "{\"success\":false,\"message\":\"Too Many Requests\",\"code\":429,\"errorCode\":\"RATE_LIMIT_EXCEEDED\"}";

    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    static FakeGeofa fake;
    GeofaApi api;

    @BeforeAll
    static void startFake() {
        fake = FakeGeofa.start(db.config(), new FakeGeofa.Settings(0, List.of(GeofaUser.vejle()), Duration.ofHours(1), clock, 1, LIMIT));
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @BeforeEach
    void freshMinuteAndToken() throws Exception {
        clock.advance(Duration.ofMinutes(1)); // each test starts at the first second of a minute of its own
        fake.reset();
        fake.rateLimit(LIMIT);
        fake.resetTraffic();
        api = new GeofaApi(fake.baseUrl());
        assertThat(api.loginAsVejle().status()).isEqualTo(200);
    }

    GeofaApi.Answer insert(String noegle) throws Exception {
        return api.sql(FakeGeofaTest.INSERT_POINT, List.of(FakeGeofaTest.point("noegle", noegle)));
    }

    void spend(GeofaApi client, int requests) throws Exception {
        for (int i = 0; i < requests; i++) {
            assertThat(client.sql("select 1", List.of()).status()).as("request %d", i + 1).isEqualTo(200);
        }
    }

    @Test
    void the121stRequestOfAMinuteIsRefusedAndChangesNothing() throws Exception {
        int gc2Default = FakeGeofa.Settings.defaults().rateLimitPerMinute();
        assertThat(gc2Default).isEqualTo(120);
        fake.rateLimit(gc2Default);
        spend(api, 119);
        assertThat(insert("k120").status()).isEqualTo(200);

        GeofaApi.Answer refused = insert("k121");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).isEqualTo(GeofaApi.JSON.readTree(TOO_MANY));
        assertThat(refused.headers().firstValue("Retry-After")).as("GC2 sends none").isEmpty();
        assertThat(fake.current("t_5800_fac_pkt")).singleElement().satisfies(v -> assertThat(v.text("noegle")).contains("k120"));
    }

    @Test
    void refusedRequestsCountToo() throws Exception {
        spend(api, LIMIT);
        assertThat(api.sql("select 1", List.of()).status()).isEqualTo(429);
        assertThat(api.sql("select 1", List.of()).status()).isEqualTo(429);

        fake.rateLimit(LIMIT + 1);

        assertThat(api.sql("select 1", List.of()).status()).as("the two refused requests used up the raised budget").isEqualTo(429);
        assertThat(fake.traffic().busiestMinute()).isEqualTo(LIMIT + 3);
    }

    @Test
    void aNewMinuteOpensANewWindow() throws Exception {
        clock.advance(Duration.ofSeconds(59));
        spend(api, LIMIT);
        assertThat(api.sql("select 1", List.of()).status()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(1));

        spend(api, LIMIT);
        assertThat(api.sql("select 1", List.of()).status()).as("a calendar minute, not the last sixty seconds").isEqualTo(429);
    }

    @Test
    void eachTokenHasItsOwnBudget() throws Exception {
        spend(api, LIMIT);
        assertThat(api.sql("select 1", List.of()).status()).isEqualTo(429);

        GeofaApi other = new GeofaApi(fake.baseUrl());
        other.loginAsVejle();

        spend(other, LIMIT);
        assertThat(other.sql("select 1", List.of()).status()).isEqualTo(429);
    }

    @Test
    void loginIsNotLimited() throws Exception {
        for (int i = 0; i < LIMIT + 2; i++) {
            assertThat(new GeofaApi(fake.baseUrl()).loginAsVejle().status()).isEqualTo(200);
        }

        assertThat(fake.traffic().requests()).as("a request without a bearer token is not counted").isZero();
    }

    @Test
    void anUnknownTokenIsCountedBeforeItIsChecked() throws Exception {
        JsonNode select = GeofaApi.statement("select 1", List.of());
        for (int i = 0; i < LIMIT; i++) {
            assertThat(api.post("/api/v4/sql", select, "not-a-token").status()).isEqualTo(401);
        }

        assertThat(api.post("/api/v4/sql", select, "not-a-token").status()).isEqualTo(429);
    }

    @Test
    void onlyApiV4IsLimited() throws Exception {
        spend(api, LIMIT);
        assertThat(api.sql("select 1", List.of()).status()).isEqualTo(429);

        assertThat(api.meta("fkg.t_5800_fac_pkt").status()).isEqualTo(200);
        assertThat(api.readGeoJson("select objekt_id from fkg.t_5800_fac_pkt").status()).isEqualTo(200);
        assertThat(api.get("/admin/traffic").status()).isEqualTo(200);
    }

    @Test
    void limitZeroTurnsItOffAndTheCountsGoOn() throws Exception {
        fake.rateLimit(0);

        spend(api, LIMIT * 2);

        Traffic traffic = fake.traffic();
        assertThat(traffic.refused()).isZero();
        assertThat(traffic.busiestMinute()).isEqualTo(LIMIT * 2);
    }

    @Test
    void faultsComeBeforeTheLimitAndAreNotCounted() throws Exception {
        fake.faults().failNext(1, 503).throttleNext(1, Duration.ofSeconds(1));

        assertThat(api.sql("select 1", List.of()).headers().firstValue("Retry-After")).contains("1");
        assertThat(api.sql("select 1", List.of()).status()).isEqualTo(503);

        assertThat(fake.traffic().requests()).isZero();
        spend(api, LIMIT);
    }

    @Test
    void trafficCountsEachMinuteAndKeepsTheBusiestMinute() throws Exception {
        GeofaApi other = new GeofaApi(fake.baseUrl());
        other.loginAsVejle();
        spend(api, LIMIT);
        api.sql("select 1", List.of());
        api.sql("select 1", List.of());
        spend(other, 2);
        Instant firstMinute = clock.instant();

        clock.advance(Duration.ofMinutes(1));
        spend(api, 1);

        Traffic traffic = fake.traffic();
        assertThat(traffic.requests()).isEqualTo(10);
        assertThat(traffic.refused()).isEqualTo(2);
        assertThat(traffic.served()).isEqualTo(8);
        assertThat(traffic.busiestMinute()).isEqualTo(LIMIT + 2);
        assertThat(traffic.minutes()).containsExactly(
                new Traffic.Minute(firstMinute, 9, 2, LIMIT + 2),
                new Traffic.Minute(firstMinute.plusSeconds(60), 1, 0, 1));

        clock.advance(Duration.ofMinutes(2));
        spend(api, 1);

        assertThat(fake.traffic().minutes()).as("older minutes are dropped").extracting(Traffic.Minute::start)
                .containsExactly(firstMinute.plusSeconds(180));
        assertThat(fake.traffic().busiestMinute()).as("the busiest minute is kept").isEqualTo(LIMIT + 2);
    }

    @Test
    void resetTrafficKeepsTheBudgetsOfThisMinute() throws Exception {
        spend(api, LIMIT);

        fake.resetTraffic();

        assertThat(api.sql("select 1", List.of()).status()).isEqualTo(429);
        assertThat(fake.traffic()).extracting(Traffic::requests, Traffic::refused, Traffic::busiestMinute).containsExactly(1L, 1L, LIMIT + 1);
    }

    @Test
    void adminShowsAndResetsTraffic() throws Exception {
        spend(api, LIMIT);
        api.sql("select 1", List.of());

        JsonNode traffic = api.get("/admin/traffic").body();

        assertThat(traffic.get("rateLimitPerMinute").asInt()).isEqualTo(LIMIT);
        assertThat(traffic.get("requests").asLong()).isEqualTo(LIMIT + 1);
        assertThat(traffic.get("refused").asLong()).isEqualTo(1);
        assertThat(traffic.get("busiestMinute").asInt()).isEqualTo(LIMIT + 1);
        assertThat(traffic.get("minutes")).hasSize(1);
        JsonNode minute = traffic.get("minutes").get(0);
        assertThat(minute.get("start").asText()).isEqualTo(clock.instant().toString());
        assertThat(minute.get("requests").asLong()).isEqualTo(LIMIT + 1);
        assertThat(minute.get("refused").asLong()).isEqualTo(1);
        assertThat(minute.get("busiestToken").asInt()).isEqualTo(LIMIT + 1);

        assertThat(api.post("/admin/traffic", Map.of(), null).status()).as("only GET and DELETE").isEqualTo(404);
        assertThat(api.delete("/admin/traffic").status()).isEqualTo(200);
        assertThat(fake.traffic().requests()).isZero();
    }
}
