package dk.geofasync.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.transport.topic.TopicSettings;
import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.GeofaVersion;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code -Dreconcile.geofa.db=JDBC_URL} runs it against a database holding the real FKG model (README,
 * "Checking against the real FKG model").
 *
 * <p>Both sides altered behind the sync's back, in every kind reconcile knows: one reconcile with
 * repair and the pipeline make them equal, and the next reconcile finds nothing; what a person must
 * decide is listed and left alone.
 */
class ReconcileTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    /** The points table alone: every kind is shown on it, and the set-up of each test stays short. */
    static final TableMapping POINTS = SampleVk.vejleMapping().table("vk.facilitet_punkt").orElseThrow();
    static final Mapping MAPPING = new Mapping("points", List.of(POINTS));
    static final String THEME = POINTS.theme().name();
    static final String REAL_MODEL = System.getProperty("reconcile.geofa.db", "");

    FakeGeofa fake;
    LocalPipeline pipeline;
    GeofaClient client;

    @BeforeEach
    void synced() throws Exception {
        fake = FakeGeofa.start(geofaDb(), FakeGeofa.Settings.defaults());
        Sandbox.reset(db.dataSource(), fake.database(), MAPPING, 40, Sandbox.DEFAULT_SEED);
        SyncSchema.migrate(db.dataSource());
        new CaptureInstaller(db.dataSource()).install(MAPPING);
        new Backfill(db.dataSource(), 5_000).run(MAPPING, Optional.empty(), false);
        GeofaSettings geofa = GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox"));
        pipeline = new LocalPipeline(new LocalPipeline.Settings(db.dataSource(), MAPPING, KafkaConnection.plain(kafka.bootstrapServers()), geofa,
                SharedKafka.unique("changes"), SharedKafka.unique("replies"), SharedKafka.unique("dead-letters"), SharedKafka.unique("applier"),
                TopicSettings.SINGLE_BROKER));
        pipeline.syncUntilIdle();
        client = new GeofaClient(geofa, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        pipeline.close();
        fake.close();
    }

    @Test
    void aSyncedVkAndGeofaDifferInNothingAndCostOneRequestATable() {
        Reconcile.Report report = reconcile(false, false);

        assertThat(report.differences()).isZero();
        assertThat(report.tables()).allSatisfy(t -> assertThat(t.findings()).as(t.table()).isEmpty());
        assertThat(report.tables()).hasSize(MAPPING.tables().size()).allSatisfy(t -> {
            assertThat(t.geofaRequests()).as(t.table()).isEqualTo(1);
            assertThat(t.vkRows()).as(t.table()).isEqualTo(40);
            assertThat(t.geofaObjects()).as(t.table()).isEqualTo(40);
        });
        assertThat(runs("select count(*) from sync.reconcile_table where differing_buckets = 0")).isEqualTo(MAPPING.tables().size());
    }

    @Test
    void oneRepairAndThePipelineMakeBothSidesEqualInEveryKind() throws Exception {
        geofa("update fkg." + THEME + " set navn = 'Changed in GeoFA' where noegle = 'vk.facilitet_punkt:1'");
        behindTheSync("update vk.facilitet_punkt set navn = 'Stale in GeoFA', antal_pl = 7 where id = 2");
        copyVkRow(3, 1003, "null"); // loaded with the triggers off: never sent
        geofa("delete from fkg." + THEME + " where noegle = 'vk.facilitet_punkt:4'"); // closed in GeoFA's editor
        behindTheSync("update vk.facilitet_punkt set objekt_id = null where id = 5"); // a VK restore from before the write-back
        UUID deleted = objektId(6);
        behindTheSync("delete from vk.facilitet_punkt where id = 6"); // deleted while the sync was down
        UUID orphan = copyGeofaObject(7, "'vk.facilitet_punkt:7007'");

        Reconcile.Report found = reconcile(false, false);
        TableResult points = points(found);

        assertThat(points.counts()).containsEntry(DifferenceKind.CHANGED_IN_GEOFA, 1).containsEntry(DifferenceKind.STALE, 1)
                .containsEntry(DifferenceKind.MISSING, 2).containsEntry(DifferenceKind.NOT_WRITTEN_BACK, 1)
                .containsEntry(DifferenceKind.DELETED_IN_VK, 1).containsEntry(DifferenceKind.ORPHAN, 1)
                .containsEntry(DifferenceKind.LINKED_TWICE, 0).containsEntry(DifferenceKind.NOT_VISIBLE, 0);
        assertThat(points.findings().get(0).kind()).as("changes made in GeoFA are listed first").isEqualTo(DifferenceKind.CHANGED_IN_GEOFA);
        assertThat(finding(points, DifferenceKind.CHANGED_IN_GEOFA).columns()).containsExactly("navn");
        assertThat(finding(points, DifferenceKind.STALE).columns()).containsExactlyInAnyOrder("navn", "antal_pl");
        assertThat(finding(points, DifferenceKind.DELETED_IN_VK).objektId()).contains(deleted);
        assertThat(finding(points, DifferenceKind.ORPHAN).objektId()).contains(orphan);
        assertThat(points.findings()).extracting(Finding::key).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder("1", "2", "1003", "4", "5", "6", "7007");
        assertThat(found.tables()).filteredOn(t -> !t.table().equals("vk.facilitet_punkt")).allSatisfy(t -> assertThat(t.findings()).isEmpty());

        reconcile(true, true);
        pipeline.syncUntilIdle();
        Reconcile.Report after = reconcile(false, false);

        assertThat(after.differences()).as("after the repair: " + points(after).findings()).isZero();
        Map<String, GeofaVersion> current = currentByNoegle();
        assertThat(current.get("vk.facilitet_punkt:1").text("navn")).as("VK wins").isEqualTo(vkText(1, "navn"));
        assertThat(current.get("vk.facilitet_punkt:2").text("navn")).contains("Stale in GeoFA");
        assertThat(current).containsKeys("vk.facilitet_punkt:1003", "vk.facilitet_punkt:4").doesNotContainKeys("vk.facilitet_punkt:6",
                "vk.facilitet_punkt:7007");
        assertThat(current.get("vk.facilitet_punkt:4").objektId()).as("created anew, written back").isEqualTo(objektId(4));
        assertThat(objektId(5)).isEqualTo(current.get("vk.facilitet_punkt:5").objektId());
        assertThat(current).as("one current object per VK row").hasSize((int) runs("select count(*) from vk.facilitet_punkt"));
    }

    @Test
    void whatAPersonMustDecideIsListedAndLeftAloneAndAnObjectMadeBeforeGetsItsNoegle() throws Exception {
        UUID second = copyGeofaObject(8, "'vk.facilitet_punkt:8'"); // one noegle on two objects
        UUID invisible = UUID.randomUUID();
        copyVkRow(9, 2009, "'" + invisible + "'"); // names an object GeoFA shows neither current nor closed
        UUID made = copyGeofaObject(10, "null"); // made before geofa-sync, without noegle
        copyVkRow(10, 2010, "'" + made + "'");
        UUID orphan = copyGeofaObject(11, "'vk.facilitet_punkt:7011'");
        int objectsBefore = fake.current(THEME).size();

        TableResult points = points(reconcile(true, false));

        assertThat(points.counts()).containsEntry(DifferenceKind.LINKED_TWICE, 1).containsEntry(DifferenceKind.NOT_VISIBLE, 1)
                .containsEntry(DifferenceKind.NO_NOEGLE, 1).containsEntry(DifferenceKind.ORPHAN, 1)
                .containsEntry(DifferenceKind.STALE, 0).containsEntry(DifferenceKind.MISSING, 0);
        assertThat(finding(points, DifferenceKind.NOT_VISIBLE).objektId()).contains(invisible);
        assertThat(finding(points, DifferenceKind.NO_NOEGLE).objektId()).contains(made);
        assertThat(finding(points, DifferenceKind.ORPHAN).objektId()).contains(orphan);
        assertThat(points.repairsQueued()).as("nothing to repair without a person (the noegle is a note's repair)").isZero();
        pipeline.syncUntilIdle();
        assertThat(fake.current(THEME)).as("nothing deleted or created").hasSize(objectsBefore);
        assertThat(currentByNoegle().get("vk.facilitet_punkt:2010").objektId()).isEqualTo(made);
        assertThat(points(reconcile(false, false)).counts()).containsEntry(DifferenceKind.NO_NOEGLE, 0).containsEntry(DifferenceKind.STALE, 0)
                .containsEntry(DifferenceKind.CHANGED_IN_GEOFA, 0).containsEntry(DifferenceKind.LINKED_TWICE, 1);
        assertThat(fake.current(THEME)).extracting(GeofaVersion::objektId).contains(second, orphan);
        assertThat(runs("select orphan + linked_twice + not_visible from sync.reconcile_latest where source_table = 'vk.facilitet_punkt'"))
                .isEqualTo(3);
    }

    @Test
    void linkAdoptsObjectsAlreadyInGeofaAndReportsTheAmbiguousOneInsteadOfGuessing() throws Exception {
        for (int key = 12; key <= 14; key++) {
            copyVkRow(key, 3000 + key, "null"); // a VK row whose object was loaded into GeoFA by hand, without noegle
            copyGeofaObject(key, "null");
        }
        copyVkRow(15, 3015, "null");
        UUID first = copyGeofaObject(15, "null"); // two objects fit row 3015: a person decides
        UUID second = copyGeofaObject(15, "null");
        TableMapping matching = new TableMapping(POINTS.table(), POINTS.theme(), POINTS.keyColumn(), POINTS.objektIdColumn(), POINTS.columns(),
                POINTS.constants(), POINTS.sensitiveColumns(), POINTS.writeBack(), Optional.of(new dk.geofasync.core.mapping.MatchRule(
                        Optional.empty(), List.of("facil_ty_k", "navn"), Optional.of(java.math.BigDecimal.valueOf(5)))));
        Mapping withRule = new Mapping("test", List.of(matching));
        int objectsBefore = fake.current(THEME).size();

        TableResult linked = new Reconcile(db.dataSource(), withRule, client)
                .run(new Reconcile.Options(Optional.empty(), false, false, true, ReconcileTrigger.COMMAND)).tables().get(0);

        assertThat(linked.counts()).containsEntry(DifferenceKind.LINKED, 3).containsEntry(DifferenceKind.AMBIGUOUS, 1)
                .containsEntry(DifferenceKind.MISSING, 1).containsEntry(DifferenceKind.NO_NOEGLE, 0).containsEntry(DifferenceKind.STALE, 0);
        assertThat(finding(linked, DifferenceKind.AMBIGUOUS).key()).isEqualTo("3015");
        Map<String, GeofaVersion> current = currentByNoegle();
        for (int key = 3012; key <= 3014; key++) {
            assertThat(objektId(key)).as("row " + key + " linked").isNotNull().isEqualTo(current.get("vk.facilitet_punkt:" + key).objektId());
        }
        assertThat(objektId(3015)).isNull();
        assertThat(fake.current(THEME)).as("nothing created").hasSize(objectsBefore);
        assertThat(fake.current(THEME)).filteredOn(v -> v.objektId().equals(first) || v.objektId().equals(second))
                .allSatisfy(v -> assertThat(v.text("noegle")).isEmpty());
        assertThat(points(reconcile(false, false)).counts()).as("linked rows compare equal").containsEntry(DifferenceKind.MISSING, 1)
                .containsEntry(DifferenceKind.STALE, 0).containsEntry(DifferenceKind.CHANGED_IN_GEOFA, 0).containsEntry(DifferenceKind.NO_NOEGLE, 0);
    }

    @Test
    void theCommandListsTheDifferencesWithoutValuesAndExitsOneUntilTheyAreRepaired(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        behindTheSync("update vk.facilitet_punkt set kontak_ved = 'Jens Hansen, tlf. 20304050' where id = 2");
        java.nio.file.Path password = java.nio.file.Files.writeString(dir.resolve("pw"), db.config().password().reveal());
        java.nio.file.Path geofaPassword = java.nio.file.Files.writeString(dir.resolve("geofa"), "sandbox\n");
        String[] common = {"--mapping", "../config/mapping-vk.yml", "--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(),
            "--db-password-file", password.toString(), "--geofa-url", fake.baseUrl().toString(), "--geofa-user", "kom630",
            "--geofa-password-file", geofaPassword.toString()};
        java.io.StringWriter text = new java.io.StringWriter();
        java.io.StringWriter json = new java.io.StringWriter();

        int found = command(text, concat(new String[] {"reconcile", "--table", "vk.facilitet_punkt"}, common));
        int repaired = command(json, concat(new String[] {"reconcile", "--table", "vk.facilitet_punkt", "--repair", "--json"}, common));
        pipeline.syncUntilIdle();
        int after = command(new java.io.StringWriter(), concat(new String[] {"reconcile", "--table", "vk.facilitet_punkt"}, common));

        assertThat(found).isEqualTo(1);
        assertThat(text.toString()).contains("vk.facilitet_punkt -> " + THEME).contains("stale").contains("2 ").contains("(kontak_ved)")
                .contains("--repair").doesNotContain("Jens Hansen").doesNotContain("20304050");
        assertThat(repaired).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toString());
        assertThat(report.path("tables").get(0).path("counts").path("stale").asInt()).isEqualTo(1);
        assertThat(report.path("tables").get(0).path("repairs_queued").asInt()).isEqualTo(1);
        assertThat(json.toString()).doesNotContain("Jens Hansen");
        assertThat(after).as("repaired").isZero();
        assertThat(fake.current(THEME)).anySatisfy(v -> assertThat(v.text("kontak_ved")).contains("Jens Hansen, tlf. 20304050"));
    }

    private static int command(java.io.StringWriter out, String... args) {
        picocli.CommandLine cli = dk.geofasync.app.GeofaSync.commandLine(args);
        cli.setOut(new java.io.PrintWriter(out, true));
        return cli.execute(args);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private Reconcile.Report reconcile(boolean repair, boolean deleteOrphans) {
        return new Reconcile(db.dataSource(), MAPPING, client).run(new Reconcile.Options(Optional.empty(), repair, deleteOrphans,
                ReconcileTrigger.COMMAND));
    }

    private static TableResult points(Reconcile.Report report) {
        return report.tables().stream().filter(t -> t.table().equals("vk.facilitet_punkt")).findFirst().orElseThrow();
    }

    private static Finding finding(TableResult t, DifferenceKind kind) {
        return t.findings().stream().filter(f -> f.kind() == kind).findFirst().orElseThrow(() -> new AssertionError("no " + kind + " in " + t.findings()));
    }

    /** A VK change made with the capture trigger quiet (the write-back's marker): the sync never hears of it. */
    private static void behindTheSync(String sql) {
        db.execute("begin; set local geofa_sync.origin = 'write-back'; " + sql + "; commit");
    }

    /** An edit in GeoFA's own database (its editor, QGIS). */
    private static void geofa(String sql) throws Exception {
        try (Connection c = geofaConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection geofaConnection() throws java.sql.SQLException {
        DatabaseConfig geofa = geofaDb();
        return java.sql.DriverManager.getConnection(geofa.jdbcUrl(), geofa.user(), geofa.password().reveal());
    }

    private static DatabaseConfig geofaDb() {
        return REAL_MODEL.isBlank() ? db.config() : DatabaseConfig.of(REAL_MODEL, db.config().user(), db.config().password());
    }

    private static void copyVkRow(int from, int to, String objektId) {
        behindTheSync("create temp table copied on commit drop as select * from vk.facilitet_punkt where id = " + from
                + "; update copied set id = " + to + ", objekt_id = " + objektId + "; insert into vk.facilitet_punkt select * from copied");
    }

    /** A copy of a row's object, made in GeoFA directly with {@code noegle}; returns its objekt_id. */
    private static UUID copyGeofaObject(int key, String noegle) throws Exception {
        List<String> columns = new ArrayList<>(POINTS.columns().stream().map(ColumnMapping::geofaColumn).toList());
        columns.addAll(POINTS.constants().keySet());
        String list = String.join(", ", columns);
        try (Connection c = geofaConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "insert into fkg." + THEME + " (" + list + ", noegle) select " + list + ", " + noegle + " from fkg." + THEME
                        + " where noegle = 'vk.facilitet_punkt:" + key + "' returning objekt_id")) {
            rs.next();
            return rs.getObject(1, UUID.class);
        }
    }

    private Map<String, GeofaVersion> currentByNoegle() {
        Map<String, GeofaVersion> byKey = new HashMap<>();
        fake.current(THEME).forEach(v -> v.text("noegle").ifPresent(k -> byKey.put(k, v)));
        return byKey;
    }

    private static UUID objektId(int id) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select objekt_id from vk.facilitet_punkt where id = " + id)) {
            return rs.next() ? rs.getObject(1, UUID.class) : null;
        }
    }

    private static Optional<String> vkText(int id, String column) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select " + column + " from vk.facilitet_punkt where id = " + id)) {
            rs.next();
            return Optional.ofNullable(rs.getString(1));
        }
    }

    private static long runs(String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
