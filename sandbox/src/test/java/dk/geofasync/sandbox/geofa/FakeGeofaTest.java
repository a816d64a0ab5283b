package dk.geofasync.sandbox.geofa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dk.geofasync.sandbox.junit.MutableClock;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fake GeoFA, driven over real HTTP as geofa-sync will drive GeoFA. */
class FakeGeofaTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    static FakeGeofa fake;
    GeofaApi api;

    static final String INSERT_POINT = """
            insert into fkg.t_5800_fac_pkt (cvr_kode, bruger_id, oprindkode, statuskode, off_kode, facil_ty_k, kvalitet_k, navn, antal_pl, noegle, geometri)
            values (:cvr_kode, :bruger_id, :oprindkode, :statuskode, :off_kode, :facil_ty_k, :kvalitet_k, :navn, :antal_pl, :noegle, st_geomfromgeojson(:geometri))
            returning objekt_id, versions_id""";

    @BeforeAll
    static void startFake() {
        fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults());
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @BeforeEach
    void emptyFakeAndLogin() throws Exception {
        fake.reset();
        api = new GeofaApi(fake.baseUrl());
        assertThat(api.loginAsVejle().status()).isEqualTo(200);
    }

    /** A valid toilet in Vejle; tests override what they need. */
    static Map<String, Object> point(Object... overrides) {
        Map<String, Object> p = new HashMap<>();
        p.put("cvr_kode", 29189900);
        p.put("bruger_id", "test");
        p.put("oprindkode", 7);
        p.put("statuskode", 3);
        p.put("off_kode", 1);
        p.put("facil_ty_k", 1012);
        p.put("kvalitet_k", 9);
        p.put("navn", "Toilet ved Vejle Fjord");
        p.put("antal_pl", 2);
        p.put("noegle", "vk.facilitet_punkt:1");
        p.put("geometri", multiPoint(553000, 6175000));
        for (int i = 0; i < overrides.length; i += 2) {
            p.put((String) overrides[i], overrides[i + 1]);
        }
        return p;
    }

    static JsonNode multiPoint(double x, double y) {
        return geoJson("MultiPoint", "[[" + x + "," + y + "]]");
    }

    static JsonNode geoJson(String type, String coordinates) {
        try {
            return GeofaApi.JSON.readTree("{\"type\":\"" + type + "\",\"coordinates\":" + coordinates
                    + ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:25832\"}}}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    UUID create(Map<String, Object> object) throws Exception {
        GeofaApi.Answer answer = api.sql(INSERT_POINT, List.of(object));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return UUID.fromString(answer.body().get("data").get(0).get("objekt_id").asText());
    }

    @Nested
    class DataModel {

        @Test
        void createReturnsAVersionOneObjektIdMadeByGeofa() throws Exception {
            GeofaApi.Answer answer = api.sql(INSERT_POINT, List.of(point()));

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().get("affected_rows").asInt()).isEqualTo(1);
            JsonNode row = answer.body().get("data").get(0);
            UUID objektId = UUID.fromString(row.get("objekt_id").asText());
            assertThat(objektId.version()).isEqualTo(1);
            assertThat(answer.body().get("schema").get("objekt_id").get("type").asText()).isEqualTo("uuid");
            GeofaVersion stored = fake.current("t_5800_fac_pkt").get(0);
            assertThat(stored.objektId()).isEqualTo(objektId);
            assertThat(stored.versionsId().toString()).isEqualTo(row.get("versions_id").asText());
            assertThat(stored.text("navn")).contains("Toilet ved Vejle Fjord");
            assertThat(stored.values().get("geometri").get("type").asText()).isEqualTo("MultiPoint");
        }

        @Test
        void batchedInsertAnswersOneRowPerParameterSetInOrder() throws Exception {
            GeofaApi.Answer answer = api.sql(INSERT_POINT + ", noegle",
                    List.of(point("noegle", "k1"), point("noegle", "k2"), point("noegle", "k3")));

            assertThat(answer.body().get("affected_rows").asInt()).isEqualTo(3);
            assertThat(answer.body().get("data")).extracting(r -> r.get("noegle").asText()).containsExactly("k1", "k2", "k3");
        }

        @Test
        void updateMakesANewVersionAndClosesTheOldOne() throws Exception {
            UUID id = create(point());

            GeofaApi.Answer answer = api.sql("update fkg.t_5800_fac_pkt set navn = :navn where objekt_id = :objekt_id returning versions_id",
                    List.of(Map.of("navn", "Toilet (renoveret)", "objekt_id", id.toString())));

            assertThat(answer.status()).isEqualTo(200);
            List<GeofaVersion> history = fake.versions("t_5800_fac_pkt");
            assertThat(history).hasSize(2).allMatch(v -> v.objektId().equals(id));
            assertThat(history.get(0).current()).isFalse();
            assertThat(history.get(0).text("navn")).contains("Toilet ved Vejle Fjord");
            assertThat(history.get(1).current()).isTrue();
            assertThat(history.get(1).text("navn")).contains("Toilet (renoveret)");
            assertThat(history.get(1).text("antal_pl")).as("columns not named keep their value").contains("2");
            assertThat(history.get(1).versionsId()).isNotEqualTo(history.get(0).versionsId())
                    .hasToString(answer.body().get("data").get(0).get("versions_id").asText());
            assertThat(history.get(1).oprettet()).isEqualTo(history.get(0).oprettet());
            assertThat(history.get(0).systidTil()).contains(history.get(1).systidFra());
        }

        @Test
        void deleteOnlyClosesTheVersionAndKeepsHistory() throws Exception {
            UUID id = create(point());

            GeofaApi.Answer answer = api.sql("delete from fkg.t_5800_fac_pkt where objekt_id = :objekt_id", List.of(Map.of("objekt_id", id.toString())));

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().get("affected_rows").asInt()).isEqualTo(1);
            assertThat(fake.current("t_5800_fac_pkt")).isEmpty();
            assertThat(fake.versions("t_5800_fac_pkt")).singleElement().satisfies(v -> assertThat(v.systidTil()).isPresent());
        }

        @Test
        void viewShowsDerivedColumns() throws Exception {
            UUID id = create(point());

            GeofaApi.Answer answer = api.sql("select temakode, temanavn, cvr_navn, kommunekode, status, offentlig, oprindelse "
                    + "from fkg.t_5800_fac_pkt where objekt_id = :id", List.of(Map.of("id", id.toString())));

            JsonNode row = answer.body().get("data").get(0);
            assertThat(row.get("temakode").asInt()).isEqualTo(5800);
            assertThat(row.get("kommunekode").asInt()).isEqualTo(630);
            assertThat(row.get("cvr_navn").asText()).isEqualTo("Vejle Kommune");
            assertThat(row.get("status").asText()).isEqualTo("Gældende / Vedtaget");
            assertThat(row.get("oprindelse").asText()).isEqualTo("Felt-/markbesøg");
        }

        @Test
        void linesAndAreasHaveTheirOwnThemes() throws Exception {
            GeofaApi.Answer line = api.sql("""
                    insert into fkg.t_5802_fac_li (cvr_kode, bruger_id, oprindkode, statuskode, off_kode, rute_ty_k, kvalitet_k, navn, geometri)
                    values (29189900, 'test', 0, 3, 1, 1, 9, 'Fjordstien', st_geomfromgeojson(:g)) returning objekt_id""",
                    List.of(Map.of("g", geoJson("MultiLineString", "[[[550000,6170000],[551000,6171000]]]"))));
            GeofaApi.Answer area = api.sql("""
                    insert into fkg.t_5801_fac_fl (cvr_kode, bruger_id, oprindkode, statuskode, off_kode, facil_ty_k, kvalitet_k, geometri)
                    values (29189900, 'test', 0, 3, 1, 1191, 9, st_geomfromgeojson(:g)) returning objekt_id""",
                    List.of(Map.of("g", geoJson("MultiPolygon", "[[[[550000,6170000],[550100,6170000],[550100,6170100],[550000,6170000]]]]"))));

            assertThat(line.status()).as(line.body().toString()).isEqualTo(200);
            assertThat(area.status()).as(area.body().toString()).isEqualTo(200);
            assertThat(fake.current("t_5802_fac_li")).hasSize(1);
            assertThat(fake.current("t_5801_fac_fl")).hasSize(1);
        }
    }

    @Nested
    class Errors {

        GeofaApi.Answer insert(Object... overrides) throws Exception {
            return api.sql(INSERT_POINT, List.of(point(overrides)));
        }

        @Test
        void unknownCodeListValueIsAForeignKeyViolationNamingTheColumn() throws Exception {
            GeofaApi.Answer answer = insert("off_kode", 99);

            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.body().get("success").asBoolean()).isFalse();
            assertThat(answer.body().get("code").asInt()).isEqualTo(500);
            assertThat(answer.message())
                    .contains("insert or update on table \"generel\" violates foreign key constraint \"generel_d_basis_offentlig_fk\"")
                    .contains("Key (off_kode)=(99) is not present in table \"d_basis_offentlig\".");
        }

        @Test
        void missingMandatoryColumnIsANotNullViolation() throws Exception {
            assertThat(insert("facil_ty_k", null).message())
                    .startsWith("null value in column \"facil_ty_k\" of relation \"t_5800_fac_pkt_t\" violates not-null constraint");
        }

        @Test
        void valueOutsideItsRangeIsACheckViolation() throws Exception {
            assertThat(insert("antal_pl", 10000).message())
                    .startsWith("new row for relation \"t_5800_fac_pkt_t\" violates check constraint \"t_5800_fac_pkt_antal_pl_ck\"");
        }

        @Test
        void tooLongTextIsRefused() throws Exception {
            assertThat(insert("navn", "x".repeat(255)).message()).isEqualTo("value too long for type character varying(254)");
        }

        @Test
        void singlePartGeometryIsRefused() throws Exception {
            assertThat(insert("geometri", geoJson("Point", "[553000,6175000]")).message())
                    .isEqualTo("Geometry type (Point) does not match column type (MultiPoint)");
        }

        @Test
        void rowOutsideTheUsersGeofenceIsALimitError() throws Exception {
            assertThat(insert("geometri", multiPoint(725000, 6175000)).message()).isEqualTo("LIMIT ERROR");
            assertThat(fake.versions("t_5800_fac_pkt")).isEmpty();
        }

        @Test
        void updateOrDeleteOfAnUnknownObjectIsCountZero() throws Exception {
            String unknown = UUID.randomUUID().toString();

            assertThat(api.sql("update fkg.t_5800_fac_pkt set navn = 'x' where objekt_id = :id", List.of(Map.of("id", unknown))).message())
                    .isEqualTo("COUNT 0 ERROR");
            assertThat(api.sql("delete from fkg.t_5800_fac_pkt where objekt_id = :id", List.of(Map.of("id", unknown))).message())
                    .isEqualTo("COUNT 0 ERROR");
        }

        @Test
        void deletingAnAlreadyDeletedObjectIsCountZero() throws Exception {
            UUID id = create(point());
            api.sql("delete from fkg.t_5800_fac_pkt where objekt_id = :id", List.of(Map.of("id", id.toString())));

            assertThat(api.sql("delete from fkg.t_5800_fac_pkt where objekt_id = :id", List.of(Map.of("id", id.toString()))).message())
                    .isEqualTo("COUNT 0 ERROR");
        }

        @Test
        void changingObjektIdIsNotAllowed() throws Exception {
            UUID id = create(point());

            GeofaApi.Answer answer = api.sql("update fkg.t_5800_fac_pkt set objekt_id = :new where objekt_id = :id",
                    List.of(Map.of("new", UUID.randomUUID().toString(), "id", id.toString())));

            assertThat(answer.message()).isEqualTo("Update of objekt_id is not allowed");
        }

        @Test
        void oneBadParameterSetRollsBackTheWholeBatch() throws Exception {
            GeofaApi.Answer answer = api.sql(INSERT_POINT, List.of(point("noegle", "a"), point("off_kode", 99), point("noegle", "c")));

            assertThat(answer.status()).isEqualTo(500);
            assertThat(fake.versions("t_5800_fac_pkt")).isEmpty();
        }

        @Test
        void batchWithOneUnknownObjectChangesNothing() throws Exception {
            UUID id = create(point());

            api.sql("update fkg.t_5800_fac_pkt set navn = :navn where objekt_id = :id",
                    List.of(Map.of("navn", "ny", "id", id.toString()), Map.of("navn", "ny", "id", UUID.randomUUID().toString())));

            assertThat(fake.versions("t_5800_fac_pkt")).singleElement().satisfies(v -> assertThat(v.text("navn")).contains("Toilet ved Vejle Fjord"));
        }

        @Test
        void secondStatementIsRefused() throws Exception {
            GeofaApi.Answer answer = api.sql("select 1; drop schema fkg cascade", List.of());

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.message()).contains("only one SQL statement");
        }
    }

    @Nested
    class ArrayBodies {

        static final String UPDATE_NAME = "update fkg.t_5800_fac_pkt set navn = :navn where noegle = :noegle returning versions_id";

        static com.fasterxml.jackson.databind.node.ArrayNode list(JsonNode... statements) {
            return GeofaApi.JSON.createArrayNode().addAll(List.of(statements));
        }

        @Test
        void arrayBodyRunsAllStatementsInOneTransaction() throws Exception {
            GeofaApi.Answer answer = api.sql(list(
                    GeofaApi.statement(INSERT_POINT, List.of(point("noegle", "k1"))),
                    GeofaApi.statement(UPDATE_NAME, List.of(Map.of("navn", "x", "noegle", "no such key")))));

            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.body().get("success").asBoolean()).isFalse();
            assertThat(answer.message()).isEqualTo("COUNT 0 ERROR");
            assertThat(fake.versions("t_5800_fac_pkt")).as("the first statement's insert was rolled back").isEmpty();
        }

        @Test
        void arrayBodyFailsWithTheFirstFailingStatementsError() throws Exception {
            GeofaApi.Answer answer = api.sql(list(
                    GeofaApi.statement(INSERT_POINT, List.of(point("off_kode", 99))),
                    GeofaApi.statement(UPDATE_NAME, List.of(Map.of("navn", "x", "noegle", "no such key")))));

            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.message()).contains("Key (off_kode)=(99) is not present in table \"d_basis_offentlig\".");
        }

        @Test
        void arrayBodyAnswersOneResultPerStatement() throws Exception {
            String count = "select count(*) as n from fkg.t_5800_fac_pkt";
            GeofaApi.Answer answer = api.sql(list(
                    GeofaApi.statement(INSERT_POINT, List.of(point("noegle", "k1"))),
                    GeofaApi.statement(UPDATE_NAME, List.of(Map.of("navn", "Toilet (renoveret)", "noegle", "k1"))),
                    GeofaApi.statement(count, List.of())));

            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
            JsonNode results = answer.body();
            assertThat(results.isArray()).isTrue();
            assertThat(results).hasSize(3);
            assertThat(results.get(0).get("affected_rows").asInt()).isEqualTo(1);
            assertThat(results.get(0).get("statement").asText()).isEqualTo(INSERT_POINT);
            assertThat(results.get(0).has("success")).as("GC2 drops success from each result of a list").isFalse();
            assertThat(results.get(0).get("schema").get("objekt_id").get("type").asText()).isEqualTo("uuid");
            assertThat(results.get(1).get("affected_rows").asInt()).as("the update saw the insert before it").isEqualTo(1);
            assertThat(results.get(2).get("data").get(0).get("n").asInt()).isEqualTo(1);
            List<GeofaVersion> history = fake.versions("t_5800_fac_pkt");
            assertThat(history).hasSize(2);
            assertThat(history.get(1).versionsId().toString()).isEqualTo(results.get(1).get("data").get(0).get("versions_id").asText());
            assertThat(results.get(0).get("data").get(0).get("objekt_id").asText()).isEqualTo(history.get(1).objektId().toString());
        }

        @Test
        void arrayOfOneStatementAnswersLikeASingleStatement() throws Exception {
            GeofaApi.Answer single = api.sql("select 1 as one", List.of());
            GeofaApi.Answer listOfOne = api.sql(list(GeofaApi.statement("select 1 as one", List.of())));

            assertThat(listOfOne.status()).isEqualTo(200);
            assertThat(listOfOne.body()).isEqualTo(single.body());
            assertThat(listOfOne.body().get("success").asBoolean()).isTrue();
        }

        @Test
        void batchedInsertInAnArrayAnswersEveryRow() throws Exception {
            GeofaApi.Answer answer = api.sql(list(
                    GeofaApi.statement(INSERT_POINT + ", noegle", List.of(point("noegle", "k1"), point("noegle", "k2"), point("noegle", "k3"))),
                    GeofaApi.statement("select count(*) as n from fkg.t_5800_fac_pkt", List.of())));

            assertThat(answer.body().get(0).get("affected_rows").asInt()).isEqualTo(3);
            assertThat(answer.body().get(0).get("data")).extracting(r -> r.get("noegle").asText()).containsExactly("k1", "k2", "k3");
            assertThat(answer.body().get(1).get("data").get(0).get("n").asInt()).isEqualTo(3);
        }

        @Test
        void oneInvalidStatementRefusesTheWholeArray() throws Exception {
            com.fasterxml.jackson.databind.node.ObjectNode emptyParams = GeofaApi.statement(UPDATE_NAME, List.of());
            emptyParams.putArray("params");

            GeofaApi.Answer answer = api.sql(list(GeofaApi.statement(INSERT_POINT, List.of(point())), emptyParams));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.message()).contains("params must not be empty");
            assertThat(fake.versions("t_5800_fac_pkt")).isEmpty();
        }

        @Test
        void lostResponseOfAnArrayLeavesEveryStatementCommitted() throws Exception {
            fake.faults().loseResponseAfterCommit(1, LostResponse.BAD_GATEWAY);

            GeofaApi.Answer answer = api.sql(list(
                    GeofaApi.statement(INSERT_POINT, List.of(point("noegle", "k1"))),
                    GeofaApi.statement(INSERT_POINT, List.of(point("noegle", "k2")))));

            assertThat(answer.status()).isEqualTo(502);
            assertThat(fake.current("t_5800_fac_pkt")).hasSize(2);
        }

        @Test
        void emptyArrayAnswersNoContent() throws Exception {
            assertThat(api.sql(list()).status()).isEqualTo(204);
        }
    }

    @Nested
    class Tokens {

        @Test
        void badCredentialsAreAnInvalidGrant() throws Exception {
            GeofaApi.Answer answer = new GeofaApi(fake.baseUrl()).login("kom630", "wrong");

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("error").asText()).isEqualTo("invalid_grant");
        }

        @Test
        void loginAnswersABearerTokenForAnHour() throws Exception {
            GeofaApi.Answer answer = new GeofaApi(fake.baseUrl()).loginAsVejle();

            assertThat(answer.body().get("token_type").asText()).isEqualTo("bearer");
            assertThat(answer.body().get("expires_in").asInt()).isEqualTo(3600);
            assertThat(answer.body().get("refresh_token").asText()).isNotBlank();
        }

        @Test
        void requestWithoutTokenIsUnauthorized() throws Exception {
            GeofaApi.Answer answer = new GeofaApi(fake.baseUrl()).sql("select 1", List.of());

            assertThat(answer.status()).isEqualTo(401);
        }

        @Test
        void expiredTokenIsRefusedAndRefreshGivesANewOne() throws Exception {
            fake.faults().expireTokens();

            GeofaApi.Answer expired = api.sql("select 1 as one", List.of());
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.message()).isEqualTo("Token expired");

            String usedRefreshToken = api.refreshTokenInUse();
            assertThat(api.refresh().status()).isEqualTo(200);
            assertThat(api.sql("select 1 as one", List.of()).body().get("data").get(0).get("one").asInt()).isEqualTo(1);
            assertThat(api.post("/api/v4/oauth", Map.of("grant_type", "refresh_token", "refresh_token", usedRefreshToken), null).status())
                    .as("a refresh token works once").isEqualTo(400);
        }

        @Test
        void tokensExpireAfterTheirLifetime() throws Exception {
            MutableClock clock = new MutableClock();
            try (FakeGeofa shortLived = FakeGeofa.start(db.config(), new FakeGeofa.Settings(0, List.of(GeofaUser.vejle()),
                    Duration.ofMinutes(60), clock, 1))) {
                GeofaApi client = new GeofaApi(shortLived.baseUrl());
                client.loginAsVejle();
                clock.advance(Duration.ofMinutes(59));
                assertThat(client.sql("select 1", List.of()).status()).isEqualTo(200);
                clock.advance(Duration.ofMinutes(1));
                assertThat(client.sql("select 1", List.of()).status()).isEqualTo(401);
            } finally {
                fake.reset(); // the second fake shared the database
            }
        }
    }

    @Nested
    class FaultInjection {

        @Test
        void failNextAnswersTheStatusAndChangesNothing() throws Exception {
            fake.faults().failNext(2, 503);

            assertThat(api.sql(INSERT_POINT, List.of(point())).status()).isEqualTo(503);
            assertThat(api.sql(INSERT_POINT, List.of(point())).status()).isEqualTo(503);
            assertThat(fake.versions("t_5800_fac_pkt")).isEmpty();
            assertThat(api.sql(INSERT_POINT, List.of(point())).status()).isEqualTo(200);
        }

        @Test
        void failShareOfOneFailsEveryRequestUntilCleared() throws Exception {
            fake.faults().failShare(1.0, 500);
            assertThat(api.sql("select 1", List.of()).status()).isEqualTo(500);
            assertThat(api.sql("select 1", List.of()).status()).isEqualTo(500);

            fake.faults().clear();
            assertThat(api.sql("select 1", List.of()).status()).isEqualTo(200);
        }

        @Test
        void throttleAnswers429WithRetryAfter() throws Exception {
            fake.faults().throttleNext(1, Duration.ofSeconds(7));

            GeofaApi.Answer answer = api.sql("select 1", List.of());

            assertThat(answer.status()).isEqualTo(429);
            assertThat(answer.headers().firstValue("Retry-After")).contains("7");
            assertThat(api.sql("select 1", List.of()).status()).isEqualTo(200);
        }

        @Test
        void latencyDelaysEveryRequest() throws Exception {
            fake.faults().latency(Duration.ofMillis(300));

            long started = System.nanoTime();
            api.sql("select 1", List.of());

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }

        @Test
        void hungRequestRunsIntoTheClientsTimeout() {
            fake.faults().hangNext(1, Duration.ofSeconds(10));

            assertThatThrownBy(() -> api.sql("select 1", List.of(), Duration.ofMillis(500))).isInstanceOf(HttpTimeoutException.class);
        }

        @Test
        void lostResponseByDroppedConnectionLeavesTheCreateCommitted() throws Exception {
            fake.faults().loseResponseAfterCommit(1, LostResponse.DROP_CONNECTION);

            assertThatThrownBy(() -> api.sql(INSERT_POINT, List.of(point("noegle", "vk.facilitet_punkt:77")))).isInstanceOf(IOException.class);

            assertThat(fake.current("t_5800_fac_pkt")).singleElement()
                    .satisfies(v -> assertThat(v.text("noegle")).contains("vk.facilitet_punkt:77"));
            GeofaApi.Answer lookup = api.sql("select objekt_id from fkg.t_5800_fac_pkt where noegle = :k", List.of(Map.of("k", "vk.facilitet_punkt:77")));
            assertThat(lookup.body().get("data")).hasSize(1);
        }

        @Test
        void lostResponseAsBadGatewayLeavesTheCreateCommitted() throws Exception {
            fake.faults().loseResponseAfterCommit(1, LostResponse.BAD_GATEWAY);

            assertThat(api.sql(INSERT_POINT, List.of(point())).status()).isEqualTo(502);
            assertThat(fake.current("t_5800_fac_pkt")).hasSize(1);
        }

        @Test
        void faultsCanBeArmedOverHttp() throws Exception {
            GeofaApi admin = new GeofaApi(fake.baseUrl());
            assertThat(admin.post("/admin/faults", Map.of("failNext", Map.of("count", 1, "status", 503)), null).status()).isEqualTo(200);

            assertThat(api.sql("select 1", List.of()).status()).isEqualTo(503);
            assertThat(api.sql("select 1", List.of()).status()).isEqualTo(200);
        }
    }

    @Nested
    class ReadsAndAdmin {

        @Test
        void v2ReadAnswersGeoJson() throws Exception {
            create(point());

            GeofaApi.Answer answer = api.readGeoJson("select objekt_id, navn, geometri from fkg.t_5800_fac_pkt");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().get("type").asText()).isEqualTo("FeatureCollection");
            JsonNode feature = answer.body().get("features").get(0);
            assertThat(feature.get("geometry").get("type").asText()).isEqualTo("MultiPoint");
            assertThat(feature.get("properties").get("navn").asText()).isEqualTo("Toilet ved Vejle Fjord");
        }

        @Test
        void v2ReadAnswersASelectWithoutGeometry() throws Exception {
            create(point());

            GeofaApi.Answer answer = api.readGeoJson("select objekt_id, navn, facil_ty from fkg.t_5800_fac_pkt");

            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
            JsonNode feature = answer.body().get("features").get(0);
            assertThat(feature.get("geometry").isNull()).isTrue();
            assertThat(feature.get("properties").get("facil_ty").asText()).isEqualTo("Toilet");
        }

        @Test
        void v2ReadRefusesWrites() throws Exception {
            assertThat(api.readGeoJson("delete from fkg.t_5800_fac_pkt").status()).isEqualTo(400);
        }

        @Test
        void v3MetaDescribesColumnsAsGc2Does() throws Exception {
            JsonNode relations = api.meta("fkg.t_5800_fac_pkt,fkg.t_5800_fac_pkt_t").body().get("relations");

            JsonNode view = relations.get("fkg.t_5800_fac_pkt.geometri");
            assertThat(view.get("rel_type").asText()).isEqualTo("VIEW");
            assertThat(view.get("type").asText()).isEqualTo("MULTIPOINT");
            assertThat(view.get("srid").asInt()).isEqualTo(25832);
            JsonNode navn = view.get("fields").get("navn");
            assertThat(navn.get("type").asText()).isEqualTo("character varying");
            assertThat(navn.get("typname").asText()).isEqualTo("varchar");
            assertThat(navn.get("full_type").asText()).isEqualTo("character varying(254)");
            assertThat(navn.get("character_maximum_length").asInt()).isEqualTo(254);
            assertThat(navn.has("is_nullable")).as("GC2 gives NOT NULL for a table's columns only").isFalse();
            assertThat(view.get("fields").get("geometri").get("geom_type").asText()).isEqualTo("MultiPoint");

            JsonNode table = relations.get("fkg.t_5800_fac_pkt_t.geometri");
            assertThat(table.get("rel_type").asText()).isEqualTo("TABLE");
            JsonNode facility = table.get("fields").get("facil_ty_k");
            assertThat(facility.get("is_nullable").asBoolean()).isFalse();
            assertThat(facility.get("reference").get(0).asText()).isEqualTo("fkg.d_5800_facilitet.facil_ty_k");
            assertThat(table.get("fields").get("antal_pl").get("checks").toString()).contains("antal_pl >= 0");
        }

        @Test
        void v3MetaOfTheSchemaListsEveryThemeAndNeedsAToken() throws Exception {
            JsonNode relations = api.meta("fkg").body().get("relations");

            long views = 0;
            for (JsonNode r : relations) {
                views += r.get("rel_type").asText().equals("VIEW") ? 1 : 0;
            }
            assertThat(views).isEqualTo(dk.geofasync.core.fkg.FkgCatalogue.standard().themes().size());
            assertThat(relations.get("fkg.t_7900_fotoforbindelse.gc2_non_postgis").get("type").isNull()).isTrue();
            assertThat(api.meta("fkg.no_such_relation").body().get("relations").isArray()).isTrue();
            assertThat(api.get("/api/v3/meta/fkg").status()).isEqualTo(401);
        }

        @Test
        void resetEmptiesTheFake() throws Exception {
            create(point());

            assertThat(new GeofaApi(fake.baseUrl()).post("/admin/reset", Map.of(), null).status()).isEqualTo(200);

            assertThat(fake.versions("t_5800_fac_pkt")).isEmpty();
        }

        @Test
        void adminListsEveryVersion() throws Exception {
            UUID id = create(point());
            api.sql("update fkg.t_5800_fac_pkt set navn = 'b' where objekt_id = :id", List.of(Map.of("id", id.toString())));

            JsonNode list = api.get("/admin/objects?theme=t_5800_fac_pkt").body();

            assertThat(list).hasSize(2);
            assertThat(list.get(1).get("values").get("navn").asText()).isEqualTo("b");
        }
    }
}
