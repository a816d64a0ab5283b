package dk.geofasync.applier.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.applier.geofa.GeofaClient;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The applier judges the values it is about to send by the FKG catalogue's rules, against the fake
 * GeoFA over HTTP: a row breaking one goes to dead letters without a GeoFA request, and its batch
 * neighbours go on.
 */
class ApplierChecksBeforeSendingTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final PostgisDatabase geofaDb = new PostgisDatabase();

    private static final AtomicLong OUTBOX_IDS = new AtomicLong();
    static FakeGeofa fake;
    ChangeApplier applier;

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
        vk.execute("delete from sync.object_link; delete from sync.inbox; delete from sync.dead_letter");
        GeofaSettings settings = OneTrySettings.of(fake);
        applier = new ChangeApplier(SampleVk.vejleMapping(), new GeofaWriter(new GeofaClient(settings, Clock.systemUTC()), vk.dataSource()),
                vk.dataSource(), replies -> { });
    }

    /** A facility point with every value GeoFA requires, each within its rules; {@code overrides} as column, value pairs. */
    static ColumnValues bench(String... overrides) {
        Map<String, String> v = new HashMap<>();
        v.put("geom", "{\"type\":\"Point\",\"coordinates\":[553000,6175000],\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:25832\"}}}");
        v.put("facil_ty_k", "1012");
        v.put("navn", "Toilet ved Fårup Sø");
        v.put("statuskode", "3");
        v.put("off_kode", "1");
        v.put("oprindkode", "7");
        v.put("kvalitet_k", "1");
        v.put("antal_pl", "6");
        v.put("kontak_ved", null);
        for (int i = 0; i < overrides.length; i += 2) {
            v.put(overrides[i], overrides[i + 1]);
        }
        return ColumnValues.of(v);
    }

    @Test
    void rowOutsideACodeListIsDeadLetteredWithoutAGeofaRequestWhileItsNeighboursAreCreated() {
        // a tripwire: any request that carries the bad row fails, and with it the whole batch
        fake.faults().failWhenBodyContains("vk.facilitet_punkt:22\\\"", 500); // the rows travel as a JSON string: quotes escaped

        List<Applied> applied = applier.applyAll(List.of(insert("21", bench()), insert("22", bench("off_kode", "99")), insert("23", bench())));

        assertThat(applied).containsExactly(Applied.CREATED, Applied.DEAD_LETTERED, Applied.CREATED);
        assertThat(fake.current("t_5800_fac_pkt")).extracting(v -> v.text("noegle").orElse(""))
                .containsExactlyInAnyOrder("vk.facilitet_punkt:21", "vk.facilitet_punkt:23");
        assertThat(letters()).containsExactly(
                "22|off_kode|off_kode = 99 is not a value of GeoFA's code list d_basis_offentlig|no GeoFA message");
        assertThat(SyncSchema.dsl(vk.dataSource()).fetchValue("select state from sync.object_link where row_key = '22'"))
                .as("no create was intended for it").isNull();
    }

    @Test
    void updateIsJudgedOnlyOnTheColumnsItSends() {
        assertThat(applier.applyAll(List.of(insert("31", bench())))).containsExactly(Applied.CREATED);

        // a name too long for GeoFA: refused before sending, GeoFA keeps its one version
        Applied tooLong = applier.applyAll(List.of(update("31", Map.of("navn", "Toilet ved Fårup Sø"), bench("navn", "x".repeat(300))))).get(0);
        assertThat(tooLong).isEqualTo(Applied.DEAD_LETTERED);
        assertThat(letters()).containsExactly("31|navn|navn has 300 characters; GeoFA allows 254|no GeoFA message");
        assertThat(fake.versions("t_5800_fac_pkt")).hasSize(1);

        vk.execute("delete from sync.dead_letter");
        // required columns the update does not send are not its business: kvalitet_k empty in VK, only navn changed
        Applied rename = applier.applyAll(List.of(update("31", Map.of("navn", "x".repeat(300)), bench("navn", "Toilet", "kvalitet_k", null)))).get(0);
        assertThat(rename).isEqualTo(Applied.UPDATED);
        assertThat(fake.current("t_5800_fac_pkt")).singleElement().satisfies(v -> assertThat(v.text("navn")).contains("Toilet"));
    }

    @Test
    void newObjectWithoutARequiredValueIsDeadLetteredNamingItsColumn() {
        assertThat(applier.applyAll(List.of(insert("41", bench("kvalitet_k", null))))).containsExactly(Applied.DEAD_LETTERED);

        assertThat(letters()).containsExactly("41|kvalitet_k|kvalitet_k is required by GeoFA but has no value|no GeoFA message");
        assertThat(fake.versions("t_5800_fac_pkt")).isEmpty();
    }

    private List<String> letters() {
        return SyncSchema.dsl(vk.dataSource()).fetch("select row_key, column_name, reason, coalesce(geofa_message, 'no GeoFA message') "
                + "from sync.dead_letter order by id").map(r -> r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3));
    }

    private static ChangeApplier.Incoming insert(String key, ColumnValues values) {
        return incoming(key, Operation.INSERT, ColumnValues.none(), values);
    }

    private static ChangeApplier.Incoming update(String key, Map<String, String> before, ColumnValues after) {
        return incoming(key, Operation.UPDATE, ColumnValues.of(before), after);
    }

    private static ChangeApplier.Incoming incoming(String key, Operation op, ColumnValues before, ColumnValues after) {
        long id = OUTBOX_IDS.incrementAndGet();
        ChangeEvent e = new ChangeEvent("test:" + id + ":" + System.nanoTime(), id, "1", "vk.facilitet_punkt", key, op, Instant.now(), before, after);
        return new ChangeApplier.Incoming(e, ChangeEventJson.write(e));
    }
}
