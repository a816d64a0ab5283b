package dk.geofasync.applier.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.event.ChangeEventJson;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.event.Operation;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.vk.SampleVk;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jooq.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The applier's failure paths against the fake GeoFA over HTTP: every retry bounded, no personal data in what it keeps. With
 * {@code -Dapplier.geofa.db=JDBC-URL} the fake serves an install of the real FKG model (OpenFKG/fkg-postgresql) instead of its own.
 */
class ChangeApplierTest {

    static final String REAL_MODEL = System.getProperty("applier.geofa.db", "");

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final PostgisDatabase geofaDb = new PostgisDatabase();

    static FakeGeofa fake;
    GeofaWriter writer;
    ChangeApplier applier;

    @BeforeAll
    static void start() {
        SyncSchema.migrate(vk.dataSource());
        fake = FakeGeofa.start(REAL_MODEL.isBlank() ? geofaDb.config()
                : dk.geofasync.core.config.DatabaseConfig.of(REAL_MODEL, geofaDb.config().user(), geofaDb.config().password()), FakeGeofa.Settings.defaults());
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void fresh() {
        fake.reset();
        vk.execute("delete from sync.object_link; delete from sync.inbox; delete from sync.dead_letter");
        // one try per request, so each round of the test is one request
        GeofaSettings settings = OneTrySettings.of(fake);
        GeofaClient client = new GeofaClient(settings, Clock.systemUTC());
        client.execute("select 1", List.of()); // logged in before any fault is set
        writer = new GeofaWriter(client, vk.dataSource());
        applier = new ChangeApplier(SampleVk.vejleMapping(), writer, vk.dataSource(), replies -> { });
    }

    @Test
    void objectGeofaKeepsFailingOnWithoutSayingWhyIsDeadLetteredAfterBoundedRounds() {
        ChangeApplier.Incoming shelter = insert("1", GeofaWriterTest.shelter());
        fake.faults().failWhenBodyContains("vk.facilitet_punkt:1\\\"", 500); // this object only (its rows travel as a JSON string): GeoFA answers everything else

        for (int round = 1; round <= Inbox.ROUNDS_BEFORE_ALONE; round++) {
            assertThat(applier.applyAll(List.of(shelter))).as("round " + round).containsExactly(Applied.WAITING);
        }
        assertThat(applier.applyAll(List.of(shelter))).as("sent alone once more, then given up").containsExactly(Applied.DEAD_LETTERED);

        Record letter = letter();
        assertThat(letter.get("reason", String.class)).contains("GeoFA failed on this object").contains("Internal Server Error");
        assertThat(letter.get("geofa_message", String.class)).isEqualTo("Internal Server Error");
        fake.faults().clear();
        assertThat(fake.current("t_5800_fac_pkt")).isEmpty();
    }

    @Test
    void geofaFailingOnEverythingIsAnOutageNotTheObjectsFault() {
        ChangeApplier.Incoming shelter = insert("5", GeofaWriterTest.shelter());
        fake.faults().failNext(1_000, 500);

        for (int round = 1; round <= Inbox.ROUNDS_BEFORE_ALONE + 3; round++) {
            assertThat(applier.applyAll(List.of(shelter))).as("round " + round).containsExactly(Applied.WAITING);
            assertThat(applier.lastStop()).isPresent();
        }
        fake.faults().clear();
        assertThat(applier.applyAll(List.of(shelter))).containsExactly(Applied.CREATED);
        assertThat(SyncSchema.dsl(vk.dataSource()).fetchCount(SyncSchema.dsl(vk.dataSource()).selectFrom("sync.dead_letter"))).isZero();
    }

    @Test
    void geofaThrottlingOrOutOfServiceIsWaitedForNotDeadLettered() {
        ChangeApplier.Incoming shelter = insert("2", GeofaWriterTest.shelter());
        fake.faults().failNext(2 * Inbox.ROUNDS_BEFORE_ALONE, 503);

        for (int round = 1; round <= 2 * Inbox.ROUNDS_BEFORE_ALONE; round++) {
            assertThat(applier.applyAll(List.of(shelter))).as("round " + round).containsExactly(Applied.WAITING);
        }
        assertThat(applier.applyAll(List.of(shelter))).containsExactly(Applied.CREATED);
        assertThat(SyncSchema.dsl(vk.dataSource()).fetchCount(SyncSchema.dsl(vk.dataSource()).selectFrom("sync.dead_letter"))).isZero();
    }

    @Test
    void pausedApplierSendsNothingItsEventsWaitAndGoOnceResumed() {
        vk.execute("delete from sync.applier_pause");
        dk.geofasync.applier.pause.ApplierPause pause = new dk.geofasync.applier.pause.ApplierPause(vk.dataSource(), "test-applier");
        pause.pause("dba", java.util.Optional.of("GeoFA window"));
        // the fence before each request, as the pipeline sets it: a batch under way stops at its next request
        GeofaClient fenced = new GeofaClient(OneTrySettings.of(fake), Clock.systemUTC(), pause::refuseWhilePaused);
        ChangeApplier paused = new ChangeApplier(SampleVk.vejleMapping(), new GeofaWriter(fenced, vk.dataSource()), vk.dataSource(), replies -> { });
        List<ChangeApplier.Incoming> events = List.of(insert("6", GeofaWriterTest.shelter()), insert("7", GeofaWriterTest.shelter()));

        assertThat(paused.applyAll(events)).containsExactly(Applied.WAITING, Applied.WAITING);
        assertThat(paused.lastStop()).hasValueSatisfying(m -> assertThat(m).contains("paused by staff"));
        assertThat(fake.current("t_5800_fac_pkt")).as("nothing sent").isEmpty();
        assertThat(SyncSchema.dsl(vk.dataSource()).fetch("select 1 from sync.object_link where objekt_id is not null")).isEmpty();

        assertThat(pause.resume()).isTrue();
        GeofaClient resumed = new GeofaClient(OneTrySettings.of(fake), Clock.systemUTC(),
                new dk.geofasync.applier.pause.ApplierPause(vk.dataSource(), "test-applier")::refuseWhilePaused);
        assertThat(new ChangeApplier(SampleVk.vejleMapping(), new GeofaWriter(resumed, vk.dataSource()), vk.dataSource(), replies -> { })
                .applyAll(events)).containsExactly(Applied.CREATED, Applied.CREATED);
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(2);
        assertThat(SyncSchema.dsl(vk.dataSource()).fetchCount(SyncSchema.dsl(vk.dataSource()).selectFrom("sync.dead_letter"))).isZero();
    }

    @Test
    void refusedRowsValuesStayOutOfWhatTheApplierKeeps() {
        // GeoFA refuses with PostgreSQL's DETAIL "Failing row contains (...)": the whole row, the contact included. The rule is one
        // GeoFA has and the shipped catalogue does not know yet (a rule it knows stops the row before any request: RowCheck)
        inGeofa("alter table fkg.t_5800_fac_pkt_t add constraint t_5800_fac_pkt_antal_pl_lige_ck check (antal_pl % 2 = 0)");
        ChangeApplier.Incoming refused = insert("3", GeofaWriterTest.shelter("antal_pl", "7", "kontak_ved", "Jens Hansen, tlf. 20 30 40 50",
                "navn", "Shelter hos Jens Hansen"));

        try {
            assertThat(applier.applyAll(List.of(refused))).containsExactly(Applied.DEAD_LETTERED);
        } finally {
            inGeofa("alter table fkg.t_5800_fac_pkt_t drop constraint t_5800_fac_pkt_antal_pl_lige_ck");
        }

        Record letter = letter();
        assertThat(letter.get("column_name", String.class)).isEqualTo("antal_pl");
        assertThat(letter.get("geofa_message", String.class)).contains("check constraint").contains("values withheld")
                .doesNotContain("20 30 40 50").doesNotContain("Jens");
        assertThat(letter.get("reason", String.class)).doesNotContain("20 30 40 50").doesNotContain("Jens");
        assertThat(String.valueOf(SyncSchema.dsl(vk.dataSource()).fetchValue("select string_agg(coalesce(last_error, ''), ' ') from sync.inbox")))
                .doesNotContain("20 30 40 50");
    }

    @Test
    void faultOfGeofaSyncItselfStopsTheEventButIsNoDeadLetter() {
        assertThat(applier.applyAll(List.of(insert("4", GeofaWriterTest.shelter())))).containsExactly(Applied.CREATED);
        ChangeApplier broken = new ChangeApplier(SampleVk.vejleMapping(), writer, vk.dataSource(), replies -> {
            throw new IllegalArgumentException("a bug in geofa-sync");
        });

        // the object again, linked now: its reply is sent again, and that step fails
        assertThatThrownBy(() -> broken.applyAll(List.of(insert("4", GeofaWriterTest.shelter())))).hasMessageContaining("a bug in geofa-sync");
        assertThat(SyncSchema.dsl(vk.dataSource()).fetchCount(SyncSchema.dsl(vk.dataSource()).selectFrom("sync.dead_letter")))
                .as("not a ticket for staff").isZero();
    }

    @Test
    void eventDeliveredTwiceInOnePollAfterANewerChangeDoesNotTakeGeofaBack() {
        ChangeApplier.Incoming insert = insert("6", GeofaWriterTest.shelter());
        ChangeEvent rename = new ChangeEvent("test:6:rename:" + System.nanoTime(), 2, "2", "vk.facilitet_punkt", "6", Operation.UPDATE,
                Instant.now(), ColumnValues.of(java.util.Map.of("navn", "Shelter ved Fårup Sø")), GeofaWriterTest.shelter("navn", "Nyt navn"));

        // the relay published the insert again after Kafka had taken it (its mark was lost): it comes after the rename
        assertThat(applier.applyAll(List.of(insert, new ChangeApplier.Incoming(rename, ChangeEventJson.write(rename)), insert)))
                .containsExactly(Applied.CREATED, Applied.UPDATED, Applied.DUPLICATE);
        assertThat(fake.current("t_5800_fac_pkt")).singleElement().satisfies(v -> assertThat(v.text("navn")).contains("Nyt navn"));
    }

    @Test
    void eventsTakenBeforeACrashGoAsStateInOneReadAndOneWrite() {
        List<ChangeApplier.Incoming> inserts = new java.util.ArrayList<>();
        for (int k = 1; k <= 20; k++) {
            inserts.add(insert("s" + k, GeofaWriterTest.shelter()));
        }
        assertThat(applier.applyAll(inserts)).containsOnly(Applied.CREATED);
        List<ChangeApplier.Incoming> renames = new java.util.ArrayList<>();
        for (int k = 1; k <= 20; k++) {
            renames.add(rename("s" + k, "Shelter " + k));
        }
        // the first ten reached GeoFA before the crash, their end never recorded; the last ten were taken and never sent
        assertThat(applier.applyAll(renames.subList(0, 10))).containsOnly(Applied.UPDATED);
        vk.execute("update sync.inbox set state = 'received', handled_at = null, result = null where row_key in ("
                + java.util.stream.IntStream.rangeClosed(1, 10).mapToObj(k -> "'s" + k + "'").collect(java.util.stream.Collectors.joining(","))
                + ") and op = 'U'");
        for (ChangeApplier.Incoming r : renames.subList(10, 20)) {
            vk.execute("insert into sync.inbox (event_id, source_table, row_key, op, attempts) values ('" + r.event().eventId()
                    + "', 'vk.facilitet_punkt', '" + r.event().rowKey() + "', 'U', 1)");
        }
        int versionsBefore = fake.versions("t_5800_fac_pkt").size();
        fake.resetTraffic();

        assertThat(applier.applyAll(renames)).as("delivered again after the crash")
                .containsExactlyElementsOf(java.util.stream.Stream.concat(java.util.Collections.nCopies(10, Applied.SKIPPED).stream(),
                        java.util.Collections.nCopies(10, Applied.UPDATED).stream()).toList());

        assertThat(fake.traffic().requests()).as("one read compares all twenty, one request updates the ten that differ").isEqualTo(2);
        assertThat(fake.versions("t_5800_fac_pkt")).as("no version for what GeoFA held already").hasSize(versionsBefore + 10);
        assertThat(fake.current("t_5800_fac_pkt")).hasSize(20).allSatisfy(v -> assertThat(v.text("navn")).hasValueSatisfying(n -> assertThat(n).startsWith("Shelter ")));
        assertThat(SyncSchema.dsl(vk.dataSource()).fetchOne("select count(*) from sync.inbox where state not in ('applied', 'skipped')")
                .get(0, Long.class)).isZero();
    }

    @Test
    void stateGeofaRefusesIsDeadLetteredAloneAndItsNeighboursAreApplied() {
        List<ChangeApplier.Incoming> inserts = List.of(insert("r1", GeofaWriterTest.shelter()), insert("r2", GeofaWriterTest.shelter()),
                insert("r3", GeofaWriterTest.shelter()));
        assertThat(applier.applyAll(inserts)).containsOnly(Applied.CREATED);
        List<ChangeApplier.Incoming> edits = List.of(rename("r1", "Shelter 1"), edit("r2", "navn", "Shelter 2", "antal_pl", "7"), rename("r3", "Shelter 3"));
        for (ChangeApplier.Incoming e : edits) { // taken before a crash, never finished
            vk.execute("insert into sync.inbox (event_id, source_table, row_key, op, attempts) values ('" + e.event().eventId()
                    + "', 'vk.facilitet_punkt', '" + e.event().rowKey() + "', 'U', 1)");
        }
        // a rule GeoFA has and the shipped catalogue does not know: only GeoFA can refuse the row
        inGeofa("alter table fkg.t_5800_fac_pkt_t add constraint t_5800_fac_pkt_antal_pl_lige_ck check (antal_pl % 2 = 0)");
        try {
            assertThat(applier.applyAll(edits)).containsExactly(Applied.UPDATED, Applied.DEAD_LETTERED, Applied.UPDATED);
        } finally {
            inGeofa("alter table fkg.t_5800_fac_pkt_t drop constraint t_5800_fac_pkt_antal_pl_lige_ck");
        }
        assertThat(letter().get("column_name", String.class)).isEqualTo("antal_pl");
        assertThat(fake.current("t_5800_fac_pkt")).extracting(v -> v.text("navn").orElse(""))
                .containsExactlyInAnyOrder("Shelter 1", "Shelter ved Fårup Sø", "Shelter 3");
    }

    @Test
    void insertTakenBeforeACrashSendsItsObjektIdToVkAgainWithoutANewVersion() {
        List<dk.geofasync.core.event.Reply> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        ChangeApplier withReplies = new ChangeApplier(SampleVk.vejleMapping(), writer, vk.dataSource(), sent::addAll);
        ChangeApplier.Incoming insert = insert("c1", GeofaWriterTest.shelter());
        assertThat(withReplies.applyAll(List.of(insert))).containsExactly(Applied.CREATED);
        java.util.UUID objektId = sent.get(0).objektId();
        // the crash came after GeoFA's answer was recorded and before Kafka's offset was: the event comes again, not yet finished in the inbox
        vk.execute("update sync.inbox set state = 'received', handled_at = null, result = null where event_id = '" + insert.event().eventId() + "'");
        sent.clear();
        int versionsBefore = fake.versions("t_5800_fac_pkt").size();

        assertThat(withReplies.applyAll(List.of(insert))).as("GeoFA holds its values: nothing to send").containsExactly(Applied.SKIPPED);

        assertThat(sent).singleElement().satisfies(r -> assertThat(r.objektId()).isEqualTo(objektId));
        assertThat(fake.versions("t_5800_fac_pkt")).hasSize(versionsBefore);
    }

    /** Runs SQL in the database the fake serves: its own, or the install of the real model. */
    private static void inGeofa(String sql) {
        if (REAL_MODEL.isBlank()) {
            geofaDb.execute(sql);
            return;
        }
        try (var c = java.sql.DriverManager.getConnection(REAL_MODEL, geofaDb.config().user(), geofaDb.config().password().reveal());
             var statement = c.createStatement()) {
            statement.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private Record letter() {
        return SyncSchema.dsl(vk.dataSource()).fetchOne("select reason, geofa_message, column_name from sync.dead_letter");
    }

    private static ChangeApplier.Incoming edit(String key, String... columnsAndValues) {
        ChangeEvent e = new ChangeEvent("test:" + key + ":edit:" + System.nanoTime(), 2, "2", "vk.facilitet_punkt", key, Operation.UPDATE,
                Instant.now(), ColumnValues.of(java.util.Map.of("navn", "Shelter ved Fårup Sø")), GeofaWriterTest.shelter((Object[]) columnsAndValues));
        return new ChangeApplier.Incoming(e, ChangeEventJson.write(e));
    }

    private static ChangeApplier.Incoming rename(String key, String name) {
        ChangeEvent e = new ChangeEvent("test:" + key + ":rename:" + System.nanoTime(), 2, "2", "vk.facilitet_punkt", key, Operation.UPDATE,
                Instant.now(), ColumnValues.of(java.util.Map.of("navn", "Shelter ved Fårup Sø")), GeofaWriterTest.shelter("navn", name));
        return new ChangeApplier.Incoming(e, ChangeEventJson.write(e));
    }

    private static ChangeApplier.Incoming insert(String key, ColumnValues values) {
        ChangeEvent e = new ChangeEvent("test:" + key + ":" + System.nanoTime(), 1, "1", "vk.facilitet_punkt", key, Operation.INSERT, Instant.now(),
                ColumnValues.none(), values);
        return new ChangeApplier.Incoming(e, ChangeEventJson.write(e));
    }
}
