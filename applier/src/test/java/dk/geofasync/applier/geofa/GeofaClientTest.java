package dk.geofasync.applier.geofa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.core.config.Secret;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.LostResponse;
import dk.geofasync.sandbox.junit.MutableClock;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The GeoFA client against the fake GeoFA over real HTTP, in every fault the fake can inject. */
class GeofaClientTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    static FakeGeofa fake;
    GeofaClient client;

    static final String INSERT = """
            insert into fkg.t_5800_fac_pkt (cvr_kode, bruger_id, oprindkode, statuskode, off_kode, facil_ty_k, kvalitet_k, navn, noegle, geometri)
            values (:cvr_kode, :bruger_id, :oprindkode, :statuskode, :off_kode, :facil_ty_k, 9, :navn, :noegle, st_geomfromgeojson(:geometri))
            returning objekt_id, versions_id""";

    @BeforeAll
    static void start() {
        fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults());
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void emptyFake() {
        fake.reset();
        client = new GeofaClient(settings("sandbox"), Clock.systemUTC());
        client.execute("select 1", List.of()); // logged in: the faults below hit the statements
    }

    static GeofaSettings settings(String password) {
        return GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of(password))
                .withRequestTimeout(Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400));
    }

    static Map<String, Object> toilet(String noegle, Object... overrides) {
        Map<String, Object> p = new HashMap<>(Map.of("cvr_kode", 29189900, "bruger_id", "geofa-sync", "oprindkode", 7, "statuskode", 3,
                "off_kode", 1, "facil_ty_k", 1012, "navn", "Toilet", "noegle", noegle,
                "geometri", "{\"type\":\"MultiPoint\",\"coordinates\":[[553000,6175000]],\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:25832\"}}}"));
        for (int i = 0; i < overrides.length; i += 2) {
            p.put((String) overrides[i], overrides[i + 1]);
        }
        return p;
    }

    @Test
    void batchedCreateAnswersOneObjektIdPerParameterSet() {
        SqlResult result = client.execute(INSERT, List.of(toilet("k:1"), toilet("k:2"), toilet("k:3")));

        assertThat(result.affectedRows()).isEqualTo(3);
        assertThat(result.data()).hasSize(3).allSatisfy(row -> assertThat(row.get("objekt_id").asText()).hasSize(36));
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(3);
    }

    @Test
    void refusalCarriesGeofasMessageAndIsNotRetried() {
        fake.faults().clear();

        assertThatThrownBy(() -> client.execute(INSERT, List.of(toilet("k:1", "off_kode", 99))))
                .isInstanceOfSatisfying(GeofaException.Rejected.class, e -> assertThat(e.geofaMessage())
                        .contains("generel_d_basis_offentlig_fk").contains("Key (off_kode)=(99)"));
        assertThatThrownBy(() -> client.execute("update fkg.t_5800_fac_pkt set navn = 'x' where objekt_id = :id",
                List.of(Map.of("id", "00000000-0000-1000-8000-000000000000"))))
                .isInstanceOfSatisfying(GeofaException.Rejected.class, e -> assertThat(e.geofaMessage()).isEqualTo("COUNT 0 ERROR"));
    }

    @Test
    void serviceUnavailableIsTriedAgainUntilItWorks() {
        fake.faults().failNext(2, 503);

        assertThat(client.execute(INSERT, List.of(toilet("k:1"))).affectedRows()).isEqualTo(1);
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(1);
    }

    @Test
    void unexplainedServerErrorIsTriedAgainAndGivesUpAsUnavailable() {
        fake.faults().failShare(1.0, 500);

        assertThatThrownBy(() -> client.execute(INSERT, List.of(toilet("k:1"))))
                .isInstanceOf(GeofaException.Unavailable.class).hasMessageContaining("in 5 tries");
        assertThat(fake.versions("t_5800_fac_pkt")).isEmpty();
    }

    @Test
    void geofasDatabaseAwayIsTriedAgainAndNeverCountedAgainstTheObject() {
        fake.faults().failNext(2, 500, "SQLSTATE[08006] [7] connection to server at \"localhost\", port 5432 failed: Connection refused");

        assertThat(client.execute(INSERT, List.of(toilet("k:1"))).affectedRows()).isEqualTo(1);

        fake.faults().failNext(5, 500, "SQLSTATE[57P03]: Cannot connect now: 7 FATAL:  the database system is starting up");
        assertThatThrownBy(() -> client.execute(INSERT, List.of(toilet("k:2"))))
                .isInstanceOfSatisfying(GeofaException.Unavailable.class, e -> assertThat(e.geofaError()).as("an outage, not the object").isEmpty());
        fake.faults().clear();
    }

    @Test
    void geofasDatabaseConnectionBrokenMidStatementIsAnUnknownOutcome() {
        fake.faults().failNext(1, 500, "SQLSTATE[57P01]: Admin shutdown: 7 FATAL:  terminating connection due to administrator command");

        assertThatThrownBy(() -> client.execute(INSERT, List.of(toilet("k:1")))).isInstanceOf(GeofaException.OutcomeUnknown.class);
    }

    @Test
    void throttlingIsHonouredWithRetryAfter() {
        fake.faults().throttleNext(1, Duration.ofSeconds(1));

        long started = System.nanoTime();
        client.execute(INSERT, List.of(toilet("k:1")));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(1);
    }

    @Test
    void expiredTokenIsRenewedWithoutTheCallerNoticing() {
        client.execute("select 1", List.of());
        fake.faults().expireTokens();

        assertThat(client.execute("select 2 as two", List.of()).data().get(0).get("two").asInt()).isEqualTo(2);
    }

    @Test
    void tokenIsRenewedBeforeItExpires() {
        MutableClock clock = new MutableClock();
        GeofaClient timed = new GeofaClient(settings("sandbox"), clock);
        timed.execute("select 1", List.of());

        clock.advance(Duration.ofMinutes(59));

        assertThat(timed.execute("select 1 as one", List.of()).data()).hasSize(1);
    }

    @Test
    void failingLoginIsTriedAgain() {
        GeofaClient fresh = new GeofaClient(settings("sandbox"), Clock.systemUTC());
        fake.faults().failNext(1, 503);

        assertThat(fresh.execute("select 1 as one", List.of()).data()).hasSize(1);
    }

    @Test
    void wrongPasswordIsALoginFailureThatNamesTheUserNotThePassword() {
        GeofaClient wrong = new GeofaClient(settings("not-the-password"), Clock.systemUTC());

        assertThatThrownBy(() -> wrong.execute("select 1", List.of()))
                .isInstanceOf(GeofaException.LoginFailed.class)
                .hasMessageContaining("user kom630").hasMessageNotContaining("not-the-password");
    }

    @Test
    void lostResponseAfterCommitIsAnUnknownOutcomeAndTheCreateIsThere() {
        fake.faults().loseResponseAfterCommit(1, LostResponse.DROP_CONNECTION);

        assertThatThrownBy(() -> client.execute(INSERT, List.of(toilet("vk.facilitet_punkt:5"))))
                .isInstanceOf(GeofaException.OutcomeUnknown.class).hasMessageContaining("may have been applied");
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(1);
        assertThat(client.execute("select objekt_id from fkg.t_5800_fac_pkt where noegle = :k", List.of(Map.of("k", "vk.facilitet_punkt:5")))
                .data()).hasSize(1);
    }

    @Test
    void aReadWhoseAnswerIsLostIsAskedAgainAndIsNoUnknownOutcome() {
        client.execute(INSERT, List.of(toilet("vk.facilitet_punkt:6")));
        long unclear = client.unknownOutcomes();
        fake.faults().loseResponseAfterCommit(2, LostResponse.DROP_CONNECTION);

        assertThat(client.read("select objekt_id from fkg.t_5800_fac_pkt where noegle = :k", List.of(Map.of("k", "vk.facilitet_punkt:6")))
                .data()).hasSize(1);
        assertThat(client.unknownOutcomes()).as("a select changes nothing: its lost answers leave no doubt").isEqualTo(unclear);
    }

    @Test
    void badGatewayIsAnUnknownOutcome() {
        fake.faults().loseResponseAfterCommit(1, LostResponse.BAD_GATEWAY);

        assertThatThrownBy(() -> client.execute(INSERT, List.of(toilet("k:1")))).isInstanceOf(GeofaException.OutcomeUnknown.class);
    }

    @Test
    void hungRequestIsAnUnknownOutcomeAfterTheTimeout() {
        fake.faults().hangNext(1, Duration.ofSeconds(6));

        assertThatThrownBy(() -> client.execute(INSERT, List.of(toilet("k:1"))))
                .isInstanceOf(GeofaException.OutcomeUnknown.class).hasMessageContaining("no answer from GeoFA within 2 s");
    }
}
