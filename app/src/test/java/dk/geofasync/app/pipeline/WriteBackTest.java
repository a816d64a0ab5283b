package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.transport.topic.TopicSettings;
import dk.geofasync.applier.apply.Applied;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.mapping.InvalidMappingException;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.MappingLoader;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.SandboxMark;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mapping's write_back on the whole pipeline: GeoFA's versions_id, oprettet, systid_fra and a
 * derived column come back into VK after a create and after every update, echo-free (no outbox row,
 * no GeoFA version caused by the write-back). The tests build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WriteBackTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final String MAPPING = """
            constants: { cvr_kode: 29189900, bruger_id: vejle-geofa-sync }
            tables:
              - table: vk.wb_punkt
                theme: t_5800_fac_pkt
                key: id
                objekt_id: objekt_id
                columns:
                  geom: geometri
                  navn:
                  facil_ty_k:
                  statuskode:
                  off_kode:
                  oprindkode:
                  kvalitet_k:
                write_back:
                  versions_id: geofa_versions_id
                  oprettet: geofa_oprettet
                  systid_fra: geofa_systid_fra
                  status: geofa_status
                  kommunekode: geofa_kommunekode
            """;

    /** GeoFA's current values, side by side with VK's written-back ones, for VK row {@code id}. */
    static final String COMPARED = """
            select v.geofa_versions_id = g.versions_id, v.geofa_oprettet = g.oprettet, v.geofa_systid_fra = g.systid_fra,
                   v.geofa_status = g.status, v.geofa_kommunekode is not distinct from g.kommunekode
              from vk.wb_punkt v join fkg.t_5800_fac_pkt g on g.objekt_id = v.objekt_id where v.id = %d""";

    static Mapping mapping;
    static FakeGeofa fake;
    static LocalPipeline pipeline;

    @BeforeAll
    static void start() {
        SandboxMark.claim(db.dataSource());
        fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults());
        fake.database().reset();
        db.execute("""
                create schema vk;
                create table vk.wb_punkt (
                    id integer primary key, objekt_id uuid, geom geometry(Point, 25832), navn varchar(128), facil_ty_k integer,
                    statuskode integer, off_kode integer, oprindkode integer, kvalitet_k integer,
                    intern_note text,
                    geofa_versions_id uuid, geofa_oprettet timestamptz, geofa_systid_fra timestamptz, geofa_status text,
                    geofa_kommunekode integer)""");
        mapping = MappingLoader.standard().load("write-back.yml", new ByteArrayInputStream(MAPPING.getBytes(StandardCharsets.UTF_8)));
        SyncSchema.migrate(db.dataSource());
        new CaptureInstaller(db.dataSource()).install(mapping);
        GeofaSettings geofa = GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox"))
                .withRequestTimeout(Duration.ofSeconds(2)).withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
        pipeline = new LocalPipeline(new LocalPipeline.Settings(db.dataSource(), mapping, KafkaConnection.plain(kafka.bootstrapServers()), geofa,
                SharedKafka.unique("changes"), SharedKafka.unique("replies"), SharedKafka.unique("dead-letters"), SharedKafka.unique("applier"),
                TopicSettings.SINGLE_BROKER));
    }

    @AfterAll
    static void stop() {
        pipeline.close();
        fake.close();
    }

    static List<String> row(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getString(i));
            }
        }
        return values;
    }

    static long count(String sql) throws SQLException {
        return Long.parseLong(row(sql).get(0));
    }

    static int geofaVersions() {
        return fake.versions("t_5800_fac_pkt").size();
    }

    @Test
    @Order(1)
    void afterACreateTheVkRowHoldsGeofasVersionTimesAndDerivedValues() throws Exception {
        db.execute("insert into vk.wb_punkt (id, geom, navn, facil_ty_k, statuskode, off_kode, oprindkode, kvalitet_k) values "
                + "(1, 'SRID=25832;POINT(550000 6170000)', 'Shelter', 1012, 3, 1, 7, 1), "
                + "(2, 'SRID=25832;POINT(550100 6170100)', 'Bålplads', 1022, 3, 1, 7, 1)");

        assertThat(pipeline.syncUntilIdle()).containsEntry(Applied.CREATED, 2);

        assertThat(count("select count(*) from vk.wb_punkt where objekt_id is null or geofa_versions_id is null or geofa_oprettet is null "
                + "or geofa_systid_fra is null or geofa_status is null")).isZero();
        for (int id : List.of(1, 2)) {
            assertThat(row(COMPARED.formatted(id))).as("row " + id + ": VK holds GeoFA's current values").containsOnly("t");
        }
        assertThat(row("select geofa_status from vk.wb_punkt where id = 1")).as("the label GeoFA derives from statuskode 3")
                .containsExactly(row("select status from fkg.t_5800_fac_pkt where statuskode = 3 limit 1").get(0));
        assertThat(count("select count(*) from sync.outbox")).as("the two inserts; the write-back caused no outbox row").isEqualTo(2);
        assertThat(geofaVersions()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void everyUpdateRefreshesThemWithoutAnEcho() throws Exception {
        List<String> before = row("select geofa_versions_id, geofa_oprettet, geofa_systid_fra, geofa_status from vk.wb_punkt where id = 1");
        db.execute("update vk.wb_punkt set navn = 'Shelter ved søen', statuskode = 1 where id = 1");

        assertThat(pipeline.syncUntilIdle()).containsEntry(Applied.UPDATED, 1);

        List<String> after = row("select geofa_versions_id, geofa_oprettet, geofa_systid_fra, geofa_status from vk.wb_punkt where id = 1");
        assertThat(row(COMPARED.formatted(1))).as("VK holds the new version's values").containsOnly("t");
        assertThat(after.get(0)).as("a new versions_id").isNotEqualTo(before.get(0));
        assertThat(after.get(1)).as("oprettet stays").isEqualTo(before.get(1));
        assertThat(after.get(2)).as("a new systid_fra").isNotEqualTo(before.get(2));
        assertThat(after.get(3)).as("the derived label follows the new statuskode (read after the update, not its RETURNING)")
                .isNotEqualTo(before.get(3)).isEqualTo(row("select status from fkg.t_5800_fac_pkt where statuskode = 1 limit 1").get(0));
        assertThat(count("select count(*) from sync.outbox")).as("one row for the staff's update, none for the write-back").isEqualTo(3);
        assertThat(geofaVersions()).as("one new version").isEqualTo(3);

        assertThat(pipeline.syncUntilIdle()).as("nothing left to do: the write-back made no echo").isEmpty();
        assertThat(geofaVersions()).isEqualTo(3);
    }

    @Test
    @Order(3)
    void batchedUpdatesRefreshEachRow() throws Exception {
        db.execute("update vk.wb_punkt set navn = navn || ' (ny)'");

        assertThat(pipeline.syncUntilIdle()).containsEntry(Applied.UPDATED, 2);

        for (int id : List.of(1, 2)) {
            assertThat(row(COMPARED.formatted(id))).as("row " + id).containsOnly("t");
        }
        assertThat(geofaVersions()).isEqualTo(5);
    }

    @Test
    @Order(4)
    void staffEditingAWrittenBackColumnSendsNothing() throws Exception {
        long outbox = count("select count(*) from sync.outbox");
        db.execute("update vk.wb_punkt set geofa_status = 'rettet i VK', intern_note = 'tjekket' where id = 2");

        assertThat(pipeline.syncUntilIdle()).isEmpty();
        assertThat(count("select count(*) from sync.outbox")).isEqualTo(outbox);
        assertThat(geofaVersions()).isEqualTo(5);
    }

    @Test
    @Order(5)
    void aStateEventRestoresWrittenBackValuesVkLostWithoutANewVersion() throws Exception {
        // as after a crash between GeoFA's update and the reply, or a restore of VK: the values are stale, GeoFA holds the rest
        db.execute("update vk.wb_punkt set geofa_versions_id = null, geofa_status = null, geofa_kommunekode = null where id = 1");
        int versions = geofaVersions();

        new dk.geofasync.capture.backfill.Backfill(db.dataSource(), 100).run(mapping, java.util.Optional.empty(), true);

        assertThat(pipeline.syncUntilIdle()).containsEntry(Applied.SKIPPED, 2);
        assertThat(row(COMPARED.formatted(1))).as("VK holds GeoFA's current values again").containsOnly("t");
        assertThat(geofaVersions()).as("GeoFA already held every synced value: no new version").isEqualTo(versions);
    }

    @Test
    @Order(6)
    void aWriteBackColumnVkLacksOrCannotHoldIsNamedBeforeInstalling() {
        db.execute("create table vk.wb_forkert (id integer primary key, objekt_id uuid, geom geometry(Point, 25832), navn varchar(128), "
                + "facil_ty_k integer, statuskode integer, off_kode integer, oprindkode integer, kvalitet_k integer, geofa_oprettet integer)");
        Mapping wrong = MappingLoader.standard().load("wrong.yml", new ByteArrayInputStream(MAPPING.replace("vk.wb_punkt", "vk.wb_forkert")
                .getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> new CaptureInstaller(db.dataSource()).install(wrong)).isInstanceOf(InvalidMappingException.class)
                .hasMessageContaining("table vk.wb_forkert, column geofa_versions_id: VK table vk.wb_forkert has no column geofa_versions_id "
                        + "(write_back of GeoFA's versions_id): alter table vk.wb_forkert add column geofa_versions_id uuid")
                .hasMessageContaining("column geofa_oprettet: VK column geofa_oprettet is int4 and cannot hold GeoFA's oprettet (timestamptz)");
    }

    @Test
    @Order(7)
    void aValueVkRefusesCostsOnlyThatRowsValuesNotItsObjektIdNorTheOthers() throws Exception {
        // wb_forkert's geofa_oprettet is an integer: install-triggers refuses that mapping, here the write-back meets it anyway
        db.execute("alter table vk.wb_forkert add column geofa_versions_id uuid, add column geofa_systid_fra timestamptz, "
                + "add column geofa_status text, add column geofa_kommunekode integer; "
                + "insert into vk.wb_forkert (id) values (1), (2)");
        Mapping wrong = MappingLoader.standard().load("wrong.yml", new ByteArrayInputStream(MAPPING.replace("vk.wb_punkt", "vk.wb_forkert")
                .getBytes(StandardCharsets.UTF_8)));
        java.util.UUID one = java.util.UUID.randomUUID();
        java.util.UUID two = java.util.UUID.randomUUID();
        java.util.UUID version = java.util.UUID.randomUUID();

        List<dk.geofasync.core.event.Reply> gone = new dk.geofasync.applier.writeback.WriteBack(db.dataSource(), wrong).applyAll(List.of(
                new dk.geofasync.core.event.Reply("vk.wb_forkert", "1", one, version, dk.geofasync.core.event.ColumnValues.of(
                        java.util.Map.of("oprettet", "2026-12-02 10:00:00+00", "versions_id", version.toString()))),
                new dk.geofasync.core.event.Reply("vk.wb_forkert", "2", two, version, dk.geofasync.core.event.ColumnValues.of(
                        java.util.Map.of("status", "Kladde", "versions_id", version.toString())))));

        assertThat(gone).isEmpty();
        assertThat(row("select objekt_id, geofa_versions_id, geofa_oprettet from vk.wb_forkert where id = 1"))
                .as("the refused row: its objekt_id alone").containsExactly(one.toString(), null, null);
        assertThat(row("select objekt_id, geofa_versions_id, geofa_status from vk.wb_forkert where id = 2"))
                .as("its neighbour: everything").containsExactly(two.toString(), version.toString(), "Kladde");
    }
}
