package dk.geofasync.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.core.mapping.Transform;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.vk.SampleVk;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reconcile of one theme of 1,000,000 objects ({@code -Dbench.reconcile.objects=N}) against the fake
 * GeoFA with its rate limit on and 20 ms added to each request: first with nothing different, then
 * with 100 objects altered on each side in every kind. Both sides are loaded in bulk (VK by COPY,
 * GeoFA's tables set-based, bypassing its API) as if the pipeline had synced them.
 * {@code ./mvnw -B -ntp verify -Pbench -pl app -Dtest=ReconcileBenchmark}.
 */
@Tag("bench")
class ReconcileBenchmark {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    static final int OBJECTS = Integer.getInteger("bench.reconcile.objects", 1_000_000);
    static final int ALTERED = 100;
    static final TableMapping POINTS = SampleVk.vejleMapping().table("vk.facilitet_punkt").orElseThrow();
    static final Mapping MAPPING = new Mapping("bench", List.of(POINTS));
    static final String THEME = POINTS.theme().name();

    @Test
    void findsEveryDifferenceAmongAMillionObjectsInAFewRequests() throws Exception {
        try (FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults())) {
            long t0 = System.nanoTime();
            Sandbox.reset(db.dataSource(), fake.database(), MAPPING, OBJECTS, Sandbox.DEFAULT_SEED);
            SyncSchema.migrate(db.dataSource());
            seedGeofaAsSynced();
            new CaptureInstaller(db.dataSource()).install(MAPPING);
            db.execute("analyze");
            System.out.printf(Locale.ROOT, "BENCH reconcile: %,d objects loaded on both sides in %.1f s%n", OBJECTS, (System.nanoTime() - t0) / 1e9);
            fake.faults().latency(Duration.ofMillis(20));
            GeofaClient client = new GeofaClient(GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox")), Clock.systemUTC());

            TableResult same = timed("nothing different", fake, client);
            assertThat(same.differences()).isZero();
            assertThat(same.geofaRequests()).isLessThanOrEqualTo(20);

            alterBothSides();
            TableResult found = timed(ALTERED + " altered per kind on each side", fake, client);
            assertThat(found.counts()).containsEntry(DifferenceKind.CHANGED_IN_GEOFA, ALTERED).containsEntry(DifferenceKind.STALE, ALTERED)
                    .containsEntry(DifferenceKind.MISSING, 2 * ALTERED).containsEntry(DifferenceKind.NOT_WRITTEN_BACK, ALTERED)
                    .containsEntry(DifferenceKind.DELETED_IN_VK, ALTERED).containsEntry(DifferenceKind.ORPHAN, ALTERED)
                    .containsEntry(DifferenceKind.LINKED_TWICE, ALTERED);
            assertThat(found.geofaRequests()).isLessThanOrEqualTo(60);
        }
    }

    private static TableResult timed(String what, FakeGeofa fake, GeofaClient client) {
        fake.resetTraffic();
        long t0 = System.nanoTime();
        TableResult r = new Reconcile(db.dataSource(), MAPPING, client)
                .run(new Reconcile.Options(Optional.empty(), false, false, ReconcileTrigger.COMMAND)).tables().get(0);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "BENCH reconcile, %s: %.1f s, %d GeoFA requests (%d answered 429), %,d of %,d buckets differ, "
                        + "%d differences; VK %.1f s, GeoFA requests %.1f s (its database %.1f s)%n", what, seconds, r.geofaRequests(),
                fake.traffic().refused(), r.differingBuckets(), r.buckets(), r.differences(), r.vkSeconds(), r.geofaSeconds(),
                fake.busy().toNanos() / 1e9);
        return r;
    }

    /** GeoFA's objects of every VK row without objekt_id, written straight into the fake's tables, and the ids and links in VK. */
    private static void seedGeofaAsSynced() throws Exception {
        FkgTheme theme = POINTS.theme();
        Map<String, String> values = new LinkedHashMap<>();
        for (ColumnMapping c : POINTS.columns()) {
            values.put(c.geofaColumn(), vkExpression(c));
        }
        POINTS.constants().forEach((column, value) -> values.put(column, SqlIdentifier.literal(value)));
        values.put("noegle", "'vk.facilitet_punkt:' || r.id");
        List<String> staged = new ArrayList<>();
        values.forEach((column, expression) -> staged.add(column.equals(FkgTheme.GEOMETRY_COLUMN) ? expression + " as " + column
                : "cast(" + expression + " as " + theme.column(column).orElseThrow().sqlType() + ") as " + column));
        List<FkgColumn> generic = theme.columns().stream().filter(c -> c.writable() && c.generic() && values.containsKey(c.name())).toList();
        List<FkgColumn> own = theme.columns().stream().filter(c -> c.writable() && !c.generic() && values.containsKey(c.name())).toList();
        String g = generic.stream().map(FkgColumn::name).collect(Collectors.joining(", "));
        String o = own.stream().map(FkgColumn::name).collect(Collectors.joining(", "));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("create temp table staged as select r.id, gen_random_uuid() as v, gen_random_uuid() as o, " + String.join(", ", staged)
                    + " from vk.facilitet_punkt r where r.objekt_id is null");
            s.execute("insert into fkg.generel (versions_id, objekt_id, systid_fra, oprettet, " + g + ") select v, o, now(), now(), " + g + " from staged");
            s.execute("insert into fkg." + theme.partTable() + " (versions_id, " + o + ") select v, " + o + " from staged");
            s.execute("begin; set local geofa_sync.origin = 'write-back'; update vk.facilitet_punkt r set objekt_id = s.o from staged s where s.id = r.id; commit");
            // every row linked, the sample's objects made before geofa-sync too (the applier links them on their first event)
            s.execute("insert into sync.object_link (source_table, row_key, theme, correlation_key, state, objekt_id, versions_id, last_synced_at)"
                    + " select 'vk.facilitet_punkt', r.id::text, '" + THEME + "', 'vk.facilitet_punkt:' || r.id, 'linked', r.objekt_id, g.versions_id, now()"
                    + " from vk.facilitet_punkt r join fkg.generel g on g.objekt_id = r.objekt_id and g.systid_til is null");
        }
    }

    private static String vkExpression(ColumnMapping c) {
        String e = "r." + SqlIdentifier.quote(c.vkColumn());
        if (c.geofaColumn().equals(FkgTheme.GEOMETRY_COLUMN)) {
            return "st_multi(st_transform(" + e + ", 25832))";
        }
        for (Transform t : c.transforms()) {
            e = switch (t) {
                case TRIM -> "btrim(" + e + "::text)";
                case EMPTY_AS_NULL -> "nullif(" + e + "::text, '')";
                case UPPER -> "upper(" + e + "::text)";
                case LOWER -> "lower(" + e + "::text)";
                case DAY_MONTH -> throw new IllegalStateException("not in the benchmark's mapping");
            };
        }
        if (!c.valueMap().isEmpty() || c.scale().isPresent()) {
            throw new IllegalStateException("value maps and scales are not in the benchmark's mapping");
        }
        return e;
    }

    /** {@value #ALTERED} objects of each kind, on disjoint rows spread over the table. */
    private static void alterBothSides() {
        String n = "'vk.facilitet_punkt:' || ";
        String every = " % " + (OBJECTS / ALTERED) + " = ";
        String behind = "begin; set local geofa_sync.origin = 'write-back'; ";
        // GeoFA's editor: changed, closed, orphans (a key VK never had), a second object under a row's key
        db.execute("update fkg." + THEME + " set navn = 'Ændret i GeoFA' where noegle in (select " + n + "id from vk.facilitet_punkt where id" + every + "1)");
        db.execute("delete from fkg." + THEME + " where noegle in (select " + n + "id from vk.facilitet_punkt where id" + every + "2)");
        String copy = POINTS.columns().stream().map(ColumnMapping::geofaColumn).collect(Collectors.joining(", ")) + ", "
                + String.join(", ", POINTS.constants().keySet());
        db.execute("insert into fkg." + THEME + " (" + copy + ", noegle) select " + copy + ", noegle || '0000000' from fkg." + THEME
                + " where noegle in (select " + n + "id from vk.facilitet_punkt where id" + every + "3)");
        db.execute("insert into fkg." + THEME + " (" + copy + ", noegle) select " + copy + ", noegle from fkg." + THEME
                + " where noegle in (select " + n + "id from vk.facilitet_punkt where id" + every + "4)");
        // VK with its triggers quiet: stale, never sent, id lost, deleted
        db.execute(behind + "update vk.facilitet_punkt set navn = 'Ændret i VK' where id" + every + "5; commit");
        db.execute(behind + "create temp table copied on commit drop as select * from vk.facilitet_punkt where id" + every + "6; "
                + "update copied set id = id + 100000000, objekt_id = null; insert into vk.facilitet_punkt select * from copied; commit");
        db.execute(behind + "update vk.facilitet_punkt set objekt_id = null where id" + every + "7; commit");
        db.execute(behind + "delete from vk.facilitet_punkt where id" + every + "8; commit");
    }
}
