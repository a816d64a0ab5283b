package dk.geofasync.applier.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.GeofaVersion;
import dk.geofasync.sandbox.geofa.LostResponse;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.vk.SampleVk;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Creates, updates and deletes against the fake GeoFA, in its fault modes: one object per VK row, always. */
class GeofaWriterTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final PostgisDatabase geofaDb = new PostgisDatabase();

    static FakeGeofa fake;
    static final TableMapping POINTS = SampleVk.vejleMapping().table("vk.facilitet_punkt").orElseThrow();
    GeofaClient client;
    GeofaWriter writer;

    @BeforeAll
    static void start() {
        SyncSchema.migrate(vk.dataSource());
        fake = FakeGeofa.start(geofaDb.config(), FakeGeofa.Settings.defaults());
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void fresh() {
        fake.reset();
        vk.execute("delete from sync.object_link");
        client = new GeofaClient(GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox"))
                .withRequestTimeout(Duration.ofSeconds(2)).withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)), Clock.systemUTC());
        client.execute("select 1", List.of());
        writer = new GeofaWriter(client, vk.dataSource());
    }

    static ColumnValues shelter(Object... overrides) {
        Map<String, String> v = new HashMap<>();
        v.put("geom", "{\"type\":\"Point\",\"coordinates\":[553000,6175000],\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:25832\"}}}");
        v.put("facil_ty_k", "3012");
        v.put("kvalitet_k", "9");
        v.put("navn", "  Shelter ved Fårup Sø ");
        v.put("statuskode", "3");
        v.put("off_kode", "1");
        v.put("oprindkode", "7");
        v.put("antal_pl", "6");
        v.put("kontak_ved", null);
        for (int i = 0; i < overrides.length; i += 2) {
            v.put((String) overrides[i], (String) overrides[i + 1]);
        }
        return ColumnValues.of(v);
    }

    private String link(String key) {
        return SyncSchema.dsl(vk.dataSource()).fetchValue("select state || ' ' || coalesce(objekt_id::text, '-') from sync.object_link where row_key = ?", key).toString();
    }

    @Test
    void createSendsTheMappedValuesAndLinksTheNewObject() {
        GeofaWriter.Created created = writer.create(POINTS, "1", shelter());

        GeofaVersion stored = fake.current("t_5800_fac_pkt").get(0);
        assertThat(stored.objektId()).isEqualTo(created.objektId());
        assertThat(stored.text("navn")).as("the mapping's trim").contains("Shelter ved Fårup Sø");
        assertThat(stored.text("cvr_kode")).as("constant").contains("29189900");
        assertThat(stored.text("noegle")).contains("vk.facilitet_punkt:1");
        assertThat(stored.values().get("geometri").get("type").asText()).as("made Multi in GeoFA").isEqualTo("MultiPoint");
        assertThat(link("1")).isEqualTo("linked " + created.objektId());
    }

    @Test
    void lostAnswerIsLookedUpNotCreatedAgain() {
        for (LostResponse mode : LostResponse.values()) {
            fake.faults().loseResponseAfterCommit(1, mode);

            GeofaWriter.Created created = writer.create(POINTS, "lost-" + mode, shelter());

            assertThat(created.foundExisting()).isTrue();
            assertThat(link("lost-" + mode)).isEqualTo("linked " + created.objektId());
        }
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(LostResponse.values().length);
    }

    @Test
    void hungCreateIsLookedUpToo() {
        fake.faults().hangNext(1, Duration.ofSeconds(4));

        writer.create(POINTS, "7", shelter());

        assertThat(fake.current("t_5800_fac_pkt")).hasSize(1);
    }

    @Test
    void createThatReachesGeofaAfterTheClientGaveUpAndSentItAgainIsNotMadeTwice() throws Exception {
        // GeoFA takes the first request up only after 5 s; the client gave up after 2, found nothing and sent it again
        fake.faults().applyLate(1, Duration.ofSeconds(5));

        GeofaWriter.Created created = writer.create(POINTS, "8", shelter());
        Thread.sleep(4_000); // the first request runs now, and must make nothing

        assertThat(fake.current("t_5800_fac_pkt")).hasSize(1).allSatisfy(v -> assertThat(v.objektId()).isEqualTo(created.objektId()));
        assertThat(link("8")).isEqualTo("linked " + created.objektId());
    }

    @Test
    void createStillRunningInGeofaWhenTheClientGaveUpIsWaitedForNotMadeTwice() {
        // GeoFA holds the first request's transaction open 5 s (it sets no statement timeout on writes): the create sent
        // again waits for its lock, then finds the object and makes none
        fake.faults().holdCommitNext(1, Duration.ofSeconds(5));

        GeofaWriter.Created created = writer.create(POINTS, "11", shelter());

        assertThat(created.foundExisting()).isTrue();
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(1).allSatisfy(v -> assertThat(v.objektId()).isEqualTo(created.objektId()));
        assertThat(link("11")).isEqualTo("linked " + created.objektId());
    }

    @Test
    void batchThatReachesGeofaAfterTheClientGaveUpIsNotMadeTwice() throws Exception {
        fake.faults().applyLate(1, Duration.ofSeconds(5));

        Map<String, GeofaWriter.BatchResult> results = writer.createAll(POINTS,
                List.of(new GeofaWriter.NewObject("y1", shelter()), new GeofaWriter.NewObject("y2", shelter()), new GeofaWriter.NewObject("y3", shelter())));
        Thread.sleep(4_000);

        assertThat(results.values()).allSatisfy(r -> assertThat(r.created()).isPresent());
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(3);
    }

    @Test
    void batchStillRunningInGeofaWhenTheClientGaveUpIsNotMadeTwice() {
        fake.faults().holdCommitNext(1, Duration.ofSeconds(5));

        Map<String, GeofaWriter.BatchResult> results = writer.createAll(POINTS,
                List.of(new GeofaWriter.NewObject("z1", shelter()), new GeofaWriter.NewObject("z2", shelter()), new GeofaWriter.NewObject("z3", shelter())));

        assertThat(results.values()).allSatisfy(r -> assertThat(r.created()).hasValueSatisfying(c -> assertThat(c.foundExisting()).isTrue()));
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(3);
    }

    @Test
    void anotherMunicipalitysObjectWithTheSameNoegleIsNeitherLinkedNorInTheWay() {
        // GeoFA's themes are national: Aarhus (CVR 55133018) syncs a table of the same name, so the same noegle
        geofaDb.execute("insert into fkg.t_5800_fac_pkt (cvr_kode, bruger_id, oprindkode, statuskode, off_kode, facil_ty_k, kvalitet_k, geometri, noegle)"
                + " values (55133018, 'aarhus', 0, 3, 1, 3012, 9, st_multi(st_setsrid(st_makepoint(575000, 6225000), 25832)), 'vk.facilitet_punkt:12')");
        UUID aarhus = fake.current("t_5800_fac_pkt").get(0).objektId();

        GeofaWriter.Created created = writer.create(POINTS, "12", shelter());

        assertThat(created.foundExisting()).isFalse();
        assertThat(created.objektId()).isNotEqualTo(aarhus);
        assertThat(fake.current("t_5800_fac_pkt")).extracting(v -> v.text("cvr_kode").orElse(""))
                .containsExactlyInAnyOrder("55133018", "29189900");
        assertThat(link("12")).isEqualTo("linked " + created.objektId());
    }

    @Test
    void restartAfterAnUnansweredCreateFindsTheObjectInsteadOfMakingASecond() {
        fake.faults().loseResponseAfterCommit(1, LostResponse.DROP_CONNECTION);
        GeofaClient.Statement create = GeofaWriter.createStatement(POINTS, List.of(new GeofaWriter.NewObject("9", shelter())));
        assertThatThrownBy(() -> client.execute(create.q(), create.params())).isInstanceOf(GeofaException.OutcomeUnknown.class);
        new ObjectLinks(vk.dataSource()).intendCreates("vk.facilitet_punkt", "t_5800_fac_pkt", Map.of("9", "vk.facilitet_punkt:9"));

        GeofaWriter.Created created = writer.create(POINTS, "9", shelter());

        assertThat(created.foundExisting()).isTrue();
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(1);
    }

    @Test
    void restartFindsTheObjectOfACreateGeofaIsStillRunningSoItsDeleteIsNotSkipped() throws Exception {
        // the process that sent the create died; GeoFA still holds its transaction open when the row's delete comes
        fake.faults().holdCommitNext(1, Duration.ofSeconds(4));
        new ObjectLinks(vk.dataSource()).intendCreates("vk.facilitet_punkt", "t_5800_fac_pkt", Map.of("13", "vk.facilitet_punkt:13"));
        Thread earlier = new Thread(() -> client.executeAll(List.of(GeofaWriter.lockCreates(POINTS, List.of("vk.facilitet_punkt:13")),
                GeofaWriter.createStatement(POINTS, List.of(new GeofaWriter.NewObject("13", shelter()))))));
        earlier.setUncaughtExceptionHandler((t, e) -> { }); // its answer is lost to the client's timeout: as for the dead process
        earlier.start();
        Await.until("the create holding its lock in GeoFA", Duration.ofSeconds(5), () -> ((Number) SyncSchema.dsl(geofaDb.dataSource())
                .fetchValue("select count(*) from pg_locks where locktype = 'advisory' and granted"
                        + " and database = (select oid from pg_database where datname = current_database())")).longValue() > 0);

        // a client that waits longer than the hold: the look-up's one request waits for the lock, no retry needed
        GeofaWriter patient = new GeofaWriter(new GeofaClient(GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox"))
                .withRequestTimeout(Duration.ofSeconds(15)).withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)), Clock.systemUTC()), vk.dataSource());

        Optional<GeofaWriter.Created> found = patient.resolvePending(POINTS, "13");

        assertThat(found).as("waited for the running create instead of finding nothing").hasValueSatisfying(c -> assertThat(c.foundExisting()).isTrue());
        assertThat(patient.delete(POINTS, "13", found.get().objektId())).isTrue();
        earlier.join(10_000);
        assertThat(fake.current("t_5800_fac_pkt")).isEmpty();
    }

    @Test
    void aLookUpThatOutwaitsGeofasStatementTimeoutIsUnavailableNotNotFound() throws Exception {
        fake.faults().holdCommitNext(1, Duration.ofSeconds(6)); // longer than the client's five tries of the look-up
        new ObjectLinks(vk.dataSource()).intendCreates("vk.facilitet_punkt", "t_5800_fac_pkt", Map.of("14", "vk.facilitet_punkt:14"));
        Thread earlier = new Thread(() -> client.executeAll(List.of(GeofaWriter.lockCreates(POINTS, List.of("vk.facilitet_punkt:14")),
                GeofaWriter.createStatement(POINTS, List.of(new GeofaWriter.NewObject("14", shelter()))))));
        earlier.setUncaughtExceptionHandler((t, e) -> { });
        earlier.start();
        Await.until("the create holding its lock in GeoFA", Duration.ofSeconds(5), () -> ((Number) SyncSchema.dsl(geofaDb.dataSource())
                .fetchValue("select count(*) from pg_locks where locktype = 'advisory' and granted"
                        + " and database = (select oid from pg_database where datname = current_database())")).longValue() > 0);

        fake.selectTimeout(Duration.ofMillis(300)); // only now: the create before must not run under it
        // "GeoFA has no such object" would let the row's delete be skipped and leave the object behind
        assertThatThrownBy(() -> writer.resolvePending(POINTS, "14")).isInstanceOf(GeofaException.Unavailable.class)
                .hasMessageContaining("statement timeout");
        earlier.join(10_000);
    }

    @Test
    void restartAfterAnIntentThatWasNeverSentCreatesOnce() {
        new ObjectLinks(vk.dataSource()).intendCreates("vk.facilitet_punkt", "t_5800_fac_pkt", Map.of("10", "vk.facilitet_punkt:10"));

        GeofaWriter.Created created = writer.create(POINTS, "10", shelter());

        assertThat(created.foundExisting()).isFalse();
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(1);
    }

    @Test
    void updateSendsOnlyTheChangedMappedColumnsAsOneNewVersion() {
        UUID id = writer.create(POINTS, "2", shelter()).objektId();

        assertThat(writer.update(POINTS, "2", id, shelter("navn", "Shelter (ny)"), Set.of("navn"))).isPresent();
        assertThat(writer.update(POINTS, "2", id, shelter(), Set.of("intern_bemaerkning"))).as("not mapped: nothing sent").isEmpty();

        List<GeofaVersion> history = fake.versions("t_5800_fac_pkt");
        assertThat(history).hasSize(2);
        assertThat(history.get(1).text("navn")).contains("Shelter (ny)");
        assertThat(history.get(1).text("antal_pl")).contains("6");
    }

    @Test
    void anObjectEditedInGeofaSinceTheVersionTheSyncKnowsIsStillUpdated() {
        Map<String, UUID> objects = new java.util.LinkedHashMap<>();
        for (String key : List.of("e1", "e2", "e3")) {
            objects.put(key, writer.create(POINTS, key, shelter()).objektId());
        }
        // staff edit e2 in GeoFA's editor: a new version the sync's link does not know
        client.execute("update fkg.t_5800_fac_pkt set antal_pl = 8 where objekt_id = :objekt_id", List.of(Map.of("objekt_id", objects.get("e2").toString())));

        Map<String, GeofaWriter.UpdateResult> done = rename(objects, "Shelter (ny)");

        assertThat(done.values()).allSatisfy(r -> assertThat(r.version()).isPresent());
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(3).allSatisfy(v -> assertThat(v.text("navn")).contains("Shelter (ny)"));
        assertThat(fake.current("t_5800_fac_pkt")).filteredOn(v -> v.objektId().equals(objects.get("e2")))
                .singleElement().satisfies(v -> assertThat(v.text("antal_pl")).as("the staff's edit stays").contains("8"));
        assertThat(rename(objects, "Shelter (igen)").values()).as("the versions the sync made are known now").allSatisfy(r -> assertThat(r.version()).isPresent());
        assertThat(fake.versions("t_5800_fac_pkt")).hasSize(3 + 1 + 3 + 3);
    }

    private Map<String, GeofaWriter.UpdateResult> rename(Map<String, UUID> objects, String navn) {
        List<GeofaWriter.PlannedUpdate> planned = new java.util.ArrayList<>();
        Map<String, ColumnValues> after = new HashMap<>();
        Map<String, Set<String>> changed = new HashMap<>();
        objects.forEach((key, id) -> {
            planned.add(new GeofaWriter.PlannedUpdate(key, id, GeofaValues.forUpdate(POINTS, shelter("navn", navn), Set.of("navn"))));
            after.put(key, shelter("navn", navn));
            changed.put(key, Set.of("navn"));
        });
        return writer.updateAll(POINTS, planned, after, changed);
    }

    @Test
    void lostAnswerToABatchOfUpdatesIsSettledByOneReadWithoutASecondVersion() {
        Map<String, UUID> objects = new java.util.LinkedHashMap<>();
        for (String key : List.of("u1", "u2", "u3")) {
            objects.put(key, writer.create(POINTS, key, shelter()).objektId());
        }
        fake.faults().loseResponseAfterCommit(1, LostResponse.DROP_CONNECTION);
        long before = fake.traffic().requests();

        Map<String, GeofaWriter.UpdateResult> results = rename(objects, "Omdøbt");

        assertThat(results.values()).allSatisfy(r -> assertThat(r.version()).isPresent());
        assertThat(fake.traffic().requests() - before).as("the update and one read").isEqualTo(2);
        assertThat(fake.versions("t_5800_fac_pkt")).as("3 creates, 3 renames, nothing twice").hasSize(6);
        assertThat(fake.current("t_5800_fac_pkt")).allSatisfy(v -> assertThat(v.text("navn")).contains("Omdøbt"));
    }

    @Test
    void lostUpdateGeofaNeverTookIsSentAgainAlthoughSomeoneEditedTheObjectInGeofaMeanwhile() {
        UUID id = writer.create(POINTS, "u4", shelter()).objektId();
        // staff rename it in QGIS: GeoFA's version moves on from the one the sync knows
        client.execute("update fkg.t_5800_fac_pkt set navn = 'Fra QGIS' where objekt_id = :objekt_id", List.of(Map.of("objekt_id", id.toString())));
        fake.faults().failNext(1, 502); // a proxy's answer: the update never reached GeoFA, the client cannot know

        Map<String, GeofaWriter.UpdateResult> results = rename(Map.of("u4", id), "Fra VK");

        assertThat(results.get("u4").version()).isPresent();
        assertThat(fake.current("t_5800_fac_pkt")).singleElement().satisfies(v -> assertThat(v.text("navn")).contains("Fra VK"));
    }

    @Test
    void deleteClosesTheObjectAndAnAlreadyClosedOneIsNoError() {
        UUID id = writer.create(POINTS, "3", shelter()).objektId();

        assertThat(writer.delete(POINTS, "3", id)).isTrue();
        assertThat(writer.delete(POINTS, "3", id)).isFalse();

        assertThat(fake.current("t_5800_fac_pkt")).isEmpty();
        assertThat(link("3")).startsWith("deleted");
    }

    @Test
    void refusedValuesAreRejectedWithGeofasMessageAndNothingIsCreated() {
        assertThatThrownBy(() -> writer.create(POINTS, "4", shelter("off_kode", "99")))
                .isInstanceOfSatisfying(GeofaException.Rejected.class, e -> assertThat(e.geofaMessage()).contains("Key (off_kode)=(99)"));

        assertThat(fake.versions("t_5800_fac_pkt")).isEmpty();
    }

    @Test
    void batchIsSplitUntilTheRefusedRowsStandAloneAndTheOthersAreCreated() {
        List<GeofaWriter.NewObject> objects = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            objects.add(new GeofaWriter.NewObject("b" + i, i == 2 || i == 5 ? shelter("off_kode", "99") : shelter()));
        }

        Map<String, GeofaWriter.BatchResult> results = writer.createAll(POINTS, objects);

        assertThat(results.keySet()).containsExactly("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7");
        assertThat(results.get("b2").refusal()).hasValueSatisfying(m -> assertThat(m).contains("Key (off_kode)=(99)"));
        assertThat(results.get("b5").refusal()).isPresent();
        assertThat(results.values().stream().filter(r -> r.created().isPresent())).hasSize(6);
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(6);
    }

    @Test
    void lostAnswerOfABatchIsResolvedObjectByObject() {
        fake.faults().loseResponseAfterCommit(1, LostResponse.DROP_CONNECTION);

        Map<String, GeofaWriter.BatchResult> results = writer.createAll(POINTS,
                List.of(new GeofaWriter.NewObject("x1", shelter()), new GeofaWriter.NewObject("x2", shelter()), new GeofaWriter.NewObject("x3", shelter())));

        assertThat(results.values()).allSatisfy(r -> assertThat(r.created()).hasValueSatisfying(c -> assertThat(c.foundExisting()).isTrue()));
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(3);
    }
}
