package dk.geofasync.applier.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.applier.run.CurrentRun;
import dk.geofasync.applier.run.RunKind;
import dk.geofasync.applier.run.Runs;
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
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the applier records is recorded under the run that did it: change-log and inbox rows carry their run, runs their counts. */
class RunBookkeepingTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final PostgisDatabase geofaDb = new PostgisDatabase();

    static FakeGeofa fake;
    final CurrentRun current = new CurrentRun();
    Runs runs;
    ChangeApplier applier;
    DSLContext db;

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
        vk.execute("delete from sync.object_link; delete from sync.inbox; delete from sync.dead_letter; delete from sync.change_log; delete from sync.run");
        GeofaSettings settings = OneTrySettings.of(fake);
        GeofaWriter writer = new GeofaWriter(new GeofaClient(settings, Clock.systemUTC()), vk.dataSource());
        applier = new ChangeApplier(SampleVk.vejleMapping(), writer, vk.dataSource(), replies -> { }, current);
        runs = new Runs(vk.dataSource());
        db = SyncSchema.dsl(vk.dataSource());
    }

    @Test
    void changeLogRowsCarryTheirRunId() {
        long first = runs.start(RunKind.ONCE);
        current.set(first);
        ChangeApplier.Incoming created = insert("21");
        ChangeApplier.Incoming renamed = rename("21", "Shelter ved Fårup Sø", "Shelter ved Vestre Engsø");
        assertThat(applier.applyAll(List.of(created, renamed))).containsExactly(Applied.CREATED, Applied.UPDATED);
        runs.finish(first, Map.of(Applied.CREATED, 1, Applied.UPDATED, 1));

        long second = runs.start(RunKind.ONCE);
        current.set(second);
        ChangeApplier.Incoming renamedAgain = rename("21", "Shelter ved Vestre Engsø", "Shelter ved Østre Engsø");
        assertThat(applier.applyAll(List.of(renamedAgain))).containsExactly(Applied.UPDATED);

        assertThat(runIdsOf("sync.change_log", created)).containsExactly(first);
        assertThat(runIdsOf("sync.change_log", renamed)).containsExactly(first);
        assertThat(runIdsOf("sync.change_log", renamedAgain)).containsExactly(second);
        assertThat(runIdsOf("sync.inbox", created)).containsExactly(first);
        assertThat(runIdsOf("sync.inbox", renamedAgain)).containsExactly(second);
    }

    @Test
    void workDoneOutsideAnyRunCarriesNoRunId() {
        current.set(runs.start(RunKind.ONCE));
        current.clear();
        ChangeApplier.Incoming created = insert("22");

        assertThat(applier.applyAll(List.of(created))).containsExactly(Applied.CREATED);

        assertThat(count("select count(*) from sync.change_log where event_id = ? and run_id is null", created.event().eventId())).isPositive();
        assertThat(count("select count(*) from sync.change_log where run_id is not null")).isZero();
        assertThat(count("select count(*) from sync.inbox where run_id is not null")).isZero();
    }

    @Test
    void failedRunKeepsTheCountsOfWhatItDidBeforeItFailed() {
        long run = runs.start(RunKind.ONCE);

        runs.failed(run, "GeoFA did not answer", Map.of(Applied.CREATED, 3, Applied.UPDATED, 2, Applied.DELETED, 1, Applied.SKIPPED, 1,
                Applied.DUPLICATE, 1, Applied.DEAD_LETTERED, 1));

        Record row = db.fetchOne("select outcome, message, finished_at, events_received, created_count, updated_count, deleted_count, "
                + "skipped_count, dead_letter_count from sync.run where id = ?", run);
        assertThat(row.get("outcome", String.class)).isEqualTo("failed");
        assertThat(row.get("message", String.class)).isEqualTo("GeoFA did not answer");
        assertThat(row.get("finished_at")).isNotNull();
        assertThat(row.get("events_received", Integer.class)).isEqualTo(9);
        assertThat(row.get("created_count", Integer.class)).isEqualTo(3);
        assertThat(row.get("updated_count", Integer.class)).isEqualTo(2);
        assertThat(row.get("deleted_count", Integer.class)).isEqualTo(1);
        assertThat(row.get("skipped_count", Integer.class)).isEqualTo(2);
        assertThat(row.get("dead_letter_count", Integer.class)).isEqualTo(1);
    }

    private int count(String sql, Object... bindings) {
        return db.fetchOne(sql, bindings).get(0, Integer.class);
    }

    private List<Long> runIdsOf(String table, ChangeApplier.Incoming event) {
        return db.fetch("select distinct run_id from " + table + " where event_id = ?", event.event().eventId()).getValues(0, Long.class);
    }

    private static ChangeApplier.Incoming insert(String key) {
        return incoming(new ChangeEvent("test:" + key + ":" + System.nanoTime(), 1, "1", "vk.facilitet_punkt", key, Operation.INSERT,
                Instant.now(), ColumnValues.none(), GeofaWriterTest.shelter()));
    }

    private static ChangeApplier.Incoming rename(String key, String from, String to) {
        return incoming(new ChangeEvent("test:" + key + ":rename:" + System.nanoTime(), 2, "2", "vk.facilitet_punkt", key, Operation.UPDATE,
                Instant.now(), ColumnValues.of(Map.of("navn", from)), GeofaWriterTest.shelter("navn", to)));
    }

    private static ChangeApplier.Incoming incoming(ChangeEvent e) {
        return new ChangeApplier.Incoming(e, ChangeEventJson.write(e));
    }
}
