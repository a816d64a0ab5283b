package dk.geofasync.capture.install;

import static dk.geofasync.db.jooq.Tables.CAPTURED_TABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.capture.CapturedWorld;
import dk.geofasync.core.mapping.InvalidMappingException;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.core.mapping.VkTable;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Installing, updating and removing the capture triggers from the mapping. */
class CaptureInstallerTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    CapturedWorld world;
    CaptureInstaller installer;

    @BeforeEach
    void build() {
        world = new CapturedWorld(db).build();
        installer = new CaptureInstaller(db.dataSource());
    }

    private int triggersOn(String table) {
        return world.count(
                "select 1 from pg_trigger where tgrelid = to_regclass({0}) and tgname like 'geofa_sync_%'", table);
    }

    private Mapping with(TableMapping... tables) {
        return new Mapping(world.mapping().source(), List.of(tables));
    }

    @Test
    void upgradeFromTriggersThatWroteTheOutboxKeepsEveryUnpublishedChange() throws Exception {
        installer.uninstall();
        // the triggers as install-triggers made them until schema version 11, registered as it registered them
        String legacy = new String(getClass().getResourceAsStream("/upgrade/triggers-until-v11.sql").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        for (TableMapping t : world.mapping().tables()) {
            String name = "cap_" + t.table().schema().length() + "_" + t.table().schema() + "_" + t.table().name() + "_";
            db.execute("insert into sync.captured_table (source_table, theme, key_column, objekt_id_column, synced_columns, trigger_functions) "
                    + "values ('" + t.table() + "', '" + t.theme().name() + "', '" + t.keyColumn() + "', '" + t.objektIdColumn() + "', '{}', "
                    + "'{" + name + "i," + name + "u," + name + "d}')");
        }
        db.execute(legacy);
        db.execute("update vk.facilitet_punkt set navn = 'før opgradering', antal_pl = 7 where id = 1");
        db.execute("delete from vk.facilitet_punkt where id = 2");
        List<String> before = world.dsl().fetch("select id || ' ' || op || ' ' || row_key from sync.outbox where published_at is null order by id")
                .getValues(0, String.class);
        assertThat(before).hasSize(2);

        installer.install(world.mapping());
        db.execute("update vk.facilitet_punkt set navn = 'efter opgradering' where id = 1");

        List<String> after = world.outbox().stream().filter(o -> o.getPublishedAt() == null).map(o -> o.getId() + " " + o.getOp() + " " + o.getRowKey())
                .toList();
        assertThat(after).as("the old triggers' rows, unpublished and first, then the new capture's").hasSize(3).startsWith(before.toArray(String[]::new));
        var last = world.outbox().get(2);
        assertThat(CapturedWorld.values(last.getOldValues())).as("compared with the row as it was at the upgrade")
                .containsOnly(java.util.Map.entry("navn", "før opgradering"));
        assertThat(CapturedWorld.values(last.getNewValues())).containsEntry("navn", "efter opgradering").containsEntry("antal_pl", "7");
        assertThat(world.count("select 1 from pg_proc where proname like 'cap\\_%' and pronamespace = 'sync'::regnamespace and prorettype = 'trigger'::regtype"))
                .as("one set of trigger functions per table, the new").isEqualTo(20);
        assertThat(world.count("select 1 from sync.captured_table where pump_function is null")).isZero();
    }

    @Test
    void reinstallWithAnotherMappingFirstMovesTheKeysTheOldOneCaptured() {
        db.execute("update vk.facilitet_punkt set navn = 'fanget før' where id = 4");
        TableMapping points = world.mapping().table("vk.facilitet_punkt").orElseThrow();
        TableMapping fewer = new TableMapping(points.table(), points.theme(), points.keyColumn(), points.objektIdColumn(),
                points.columns().stream().filter(c -> !c.vkColumn().equals("antal_pl")).toList(), points.constants(), points.sensitiveColumns());

        installer.install(with(fewer));

        assertThat(world.outbox()).extracting(o -> o.getRowKey() + " " + CapturedWorld.values(o.getNewValues()).get("navn"))
                .containsExactly("4 fanget før");
        db.execute("update vk.facilitet_punkt set antal_pl = 99 where id = 4");
        assertThat(world.outbox()).as("antal_pl is no longer synced").hasSize(1);
    }

    @Test
    void aTableWhosePumpFailsIsNamedAndWaitsWhileTheOthersGoOn() throws Exception {
        db.execute("update vk.facilitet_punkt set navn = 'går videre' where id = 1");
        db.execute("update vk.facilitet_flade set statuskode = case when statuskode = 3 then 4 else 3 end where id = 1");
        db.execute("alter table vk.facilitet_flade rename to facilitet_flade_midlertidigt");

        try (java.sql.Connection c = db.connect(); java.sql.PreparedStatement ps = c.prepareStatement("select sync.pump_captured_keys(1000)")) {
            ps.executeQuery().close();
            assertThat((Object) ps.getWarnings()).as("a warning naming the table").isNotNull();
            assertThat(ps.getWarnings().getMessage()).contains("the captured keys of vk.facilitet_flade wait").contains("does not exist");
        }
        assertThat(world.dsl().fetch("select source_table || ' ' || row_key from sync.outbox").getValues(0, String.class))
                .containsExactly("vk.facilitet_punkt 1");
        assertThat(world.count("select 1 from sync.captured_key where source_table = 'vk.facilitet_flade'")).isEqualTo(1);

        db.execute("alter table vk.facilitet_flade_midlertidigt rename to facilitet_flade");
        assertThat(world.outbox()).extracting(o -> o.getSourceTable() + " " + o.getRowKey())
                .containsExactly("vk.facilitet_punkt 1", "vk.facilitet_flade 1");
    }

    @Test
    void aMappingVkNoLongerMatchesIsMendedByInstallingOneThatDoesAndNothingCapturedIsLost() {
        db.execute("update vk.facilitet_punkt set antal_pl = 42 where id = 8");
        db.execute("delete from vk.facilitet_punkt where id = 9");
        db.execute("alter table vk.facilitet_punkt rename column navn to navn_omdoebt");
        world.dsl().fetch("select sync.pump_captured_keys(1000)");
        assertThat(world.count("select 1 from sync.captured_key where source_table = 'vk.facilitet_punkt'")).as("the old pump fails: they wait")
                .isEqualTo(2);
        TableMapping points = world.mapping().table("vk.facilitet_punkt").orElseThrow();
        TableMapping matching = new TableMapping(points.table(), points.theme(), points.keyColumn(), points.objektIdColumn(),
                points.columns().stream().filter(c -> !c.vkColumn().equals("navn")).toList(), points.constants(), points.sensitiveColumns());

        installer.install(with(matching));

        assertThat(world.outbox()).extracting(o -> o.getOp() + " " + o.getRowKey() + " "
                        + (o.getNewValues() == null ? "-" : CapturedWorld.values(o.getNewValues()).get("antal_pl")))
                .as("the rows' state now, under the new mapping").containsExactlyInAnyOrder("I 8 42", "D 9 -");
        db.execute("update vk.facilitet_punkt set antal_pl = 43 where id = 8");
        assertThat(world.outbox()).hasSize(3);
    }

    @Test
    void installingAgainChangesNothing() {
        installer.install(world.mapping());

        assertThat(triggersOn("vk.facilitet_punkt")).isEqualTo(5);
        assertThat(world.dsl().fetchCount(CAPTURED_TABLE)).isEqualTo(5);
        db.execute("update vk.facilitet_punkt set navn = 'én gang' where id = 1");
        assertThat(world.outbox()).hasSize(1);
    }

    @Test
    void changedMappingUpdatesTriggersInPlace() {
        TableMapping points = world.mapping().table("vk.facilitet_punkt").orElseThrow();
        TableMapping fewer = new TableMapping(points.table(), points.theme(), points.keyColumn(), points.objektIdColumn(),
                points.columns().stream().filter(c -> !c.vkColumn().equals("navn")).toList(), points.constants(), points.sensitiveColumns());

        CaptureInstaller.InstallReport report = installer.install(with(fewer));

        assertThat(report.installed()).containsExactly("vk.facilitet_punkt");
        assertThat(report.removed()).containsExactlyInAnyOrder("vk.facilitet_flade", "vk.rute_linje", "vk.ladefacilitet", "vk.skoledistrikt");
        db.execute("update vk.facilitet_punkt set navn = 'ikke synkroniseret længere' where id = 1");
        db.execute("update vk.rute_linje set navn = 'tabellen er ikke med' where id = 1");
        assertThat(world.outbox()).isEmpty();
        assertThat(triggersOn("vk.rute_linje")).isZero();
        assertThat(world.dsl().fetchValue(CAPTURED_TABLE.SYNCED_COLUMNS)).doesNotContain("navn").contains("facil_ty_k");
    }

    @Test
    void uninstallRemovesTriggersFunctionsAndRegistry() {
        assertThat(installer.uninstall()).hasSize(5);

        db.execute("update vk.facilitet_punkt set navn = 'ingen capture' where id = 1");
        db.execute("truncate vk.facilitet_flade");
        assertThat(world.outbox()).isEmpty();
        assertThat(triggersOn("vk.facilitet_punkt")).isZero();
        assertThat(world.count(
                "select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'sync' and p.proname like 'cap_%'"))
                .isZero();
        assertThat(world.dsl().fetchCount(CAPTURED_TABLE)).isZero();
    }

    @Test
    void tableOrColumnThatVkLacksIsRefusedNamingIt() {
        db.execute("alter table vk.rute_linje rename column obs to observation");
        db.execute("alter table vk.facilitet_flade rename to facilitet_flade_gammel");
        try {
            assertThatThrownBy(() -> installer.install(world.mapping()))
                    .isInstanceOf(InvalidMappingException.class)
                    .hasMessageContaining("table vk.facilitet_flade: the VK database has no table vk.facilitet_flade")
                    .hasMessageContaining("table vk.rute_linje, column obs: VK table vk.rute_linje has no column obs");
            assertThat(triggersOn("vk.facilitet_punkt")).as("nothing changed: the install is one transaction").isEqualTo(5);
        } finally {
            db.execute("alter table vk.rute_linje rename column observation to obs");
            db.execute("alter table vk.facilitet_flade_gammel rename to facilitet_flade");
        }
    }

    @Test
    void keyThatDoesNotNameOneRowIsRefused() {
        db.execute("alter table vk.facilitet_punkt drop constraint facilitet_punkt_pkey");
        try {
            assertThatThrownBy(() -> installer.install(world.mapping()))
                    .hasMessageContaining("table vk.facilitet_punkt, column id: the key must be the table's primary key or a unique column");
        } finally {
            db.execute("alter table vk.facilitet_punkt add primary key (id)");
        }
    }

    @Test
    void installWithoutTheSyncSchemaSaysToMigrate() {
        db.execute("drop schema sync cascade");

        assertThatThrownBy(() -> installer.install(world.mapping())).hasMessageContaining("run geofa-sync migrate first");
    }

    @Test
    void notifyIsOptInAndWakesAListenerOncePerTransaction() throws Exception {
        try (java.sql.Connection listener = db.connect(); java.sql.Statement s = listener.createStatement()) {
            s.execute("listen " + dk.geofasync.db.SyncSchema.OUTBOX_CHANNEL);
            org.postgresql.PGConnection pg = listener.unwrap(org.postgresql.PGConnection.class);

            db.execute("update vk.facilitet_punkt set navn = 'uden notify' where id = 1");
            assertThat(pg.getNotifications(300)).as("off by default").isNullOrEmpty();

            installer.install(world.mapping(), true);
            db.execute("update vk.facilitet_punkt set navn = 'med notify' where id between 1 and 3");
            assertThat(pg.getNotifications(2000)).hasSize(1);
            // the trigger writes keys without looking at columns, so a change of VK-only columns wakes the relay too;
            // its pump then finds nothing to publish
            try (java.sql.Connection c = db.connect(); java.sql.Statement two = c.createStatement()) {
                c.setAutoCommit(false);
                two.execute("update vk.facilitet_punkt set intern_bemaerkning = 'kun VK' where id = 1");
                two.execute("update vk.facilitet_punkt set navn = 'to udsagn' where id = 2");
                c.commit();
            }
            assertThat(pg.getNotifications(2000)).as("once per transaction").hasSize(1);
        }
    }

    @Test
    void tablesWhoseNamesJoinAlikeAreCapturedEachAsItself() {
        db.execute("""
                create table vk.x_y (like vk.facilitet_punkt including all);
                create schema vk_x;
                create table vk_x.y (like vk.facilitet_punkt including all)""");
        TableMapping points = world.mapping().table("vk.facilitet_punkt").orElseThrow();
        TableMapping first = new TableMapping(new VkTable("vk", "x_y"), points.theme(), points.keyColumn(), points.objektIdColumn(),
                points.columns(), points.constants(), points.sensitiveColumns());
        TableMapping second = new TableMapping(new VkTable("vk_x", "y"), points.theme(), points.keyColumn(), points.objektIdColumn(),
                points.columns(), points.constants(), points.sensitiveColumns());

        installer.install(with(first, second));
        db.execute("insert into vk.x_y select * from vk.facilitet_punkt where id = 1");
        db.execute("insert into vk_x.y select * from vk.facilitet_punkt where id = 2");

        assertThat(world.outbox()).extracting(o -> o.getSourceTable() + ":" + o.getRowKey()).containsExactly("vk.x_y:1", "vk_x.y:2");
    }

    @Test
    void geometryColumnTheThemeCannotTakeIsRefusedByName() {
        db.execute("""
                create table vk.lines_as_points (like vk.facilitet_punkt including all);
                alter table vk.lines_as_points alter column geom type geometry(LineString, 25832);
                create table vk.points_3d (like vk.facilitet_punkt including all);
                alter table vk.points_3d alter column geom type geometry(PointZ, 25832)""");
        TableMapping points = world.mapping().table("vk.facilitet_punkt").orElseThrow();
        TableMapping lines = new TableMapping(new VkTable("vk", "lines_as_points"), points.theme(), points.keyColumn(), points.objektIdColumn(),
                points.columns(), points.constants(), points.sensitiveColumns());
        TableMapping threeD = new TableMapping(new VkTable("vk", "points_3d"), points.theme(), points.keyColumn(), points.objektIdColumn(),
                points.columns(), points.constants(), points.sensitiveColumns());

        assertThatThrownBy(() -> installer.install(with(lines, threeD))).isInstanceOf(InvalidMappingException.class)
                .hasMessageContaining("vk.lines_as_points").hasMessageContaining("holds LINESTRING; GeoFA's theme t_5800_fac_pkt holds MultiPoint")
                .hasMessageContaining("vk.points_3d").hasMessageContaining("3 coordinate dimensions");
        assertThat(triggersOn("vk.lines_as_points")).isZero();
    }
}
