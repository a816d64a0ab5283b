package dk.geofasync.capture.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.capture.CapturedWorld;
import dk.geofasync.db.jooq.tables.records.OutboxRecord;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the installed capture triggers write to the outbox for what staff do in VK. */
class CaptureTriggerTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    static CapturedWorld world;

    @BeforeAll
    static void build() {
        world = new CapturedWorld(db).build();
    }

    @BeforeEach
    void emptyOutbox() {
        world.clearOutbox();
    }

    private static List<OutboxRecord> outbox() {
        return world.outbox();
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void insertWritesTheAfterImageOfTheSyncedColumns() throws SQLException {
        String txid;
        String id;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            id = one(c, "insert into vk.facilitet_punkt (facil_ty_k, navn, statuskode, off_kode, oprindkode, geom, intern_bemaerkning) "
                    + "values (3012, 'Shelter ved Fårup Sø', 3, 1, 7, 'SRID=25832;POINT(550000 6170000)', 'kun til VK') returning id");
            txid = one(c, "select pg_current_xact_id()::text");
            c.commit();
        }

        OutboxRecord row = outbox().get(0);
        assertThat(outbox()).hasSize(1);
        assertThat(row.getSourceTable()).isEqualTo("vk.facilitet_punkt");
        assertThat(row.getRowKey()).isEqualTo(id);
        assertThat(row.getOp()).isEqualTo("I");
        assertThat(row.getTxid()).hasToString(txid);
        assertThat(row.getOldValues()).isNull();
        Map<String, String> image = CapturedWorld.values(row.getNewValues());
        assertThat(image).containsEntry("navn", "Shelter ved Fårup Sø").containsEntry("facil_ty_k", "3012")
                .containsEntry("objekt_id", null).containsEntry("antal_pl", null)
                .doesNotContainKey("intern_bemaerkning").doesNotContainKey("id");
        assertThat(image.keySet()).containsAll(world.mapping().table("vk.facilitet_punkt").orElseThrow().syncedVkColumns());
        assertThat(image.get("geom")).as("geometry as hex EWKB").startsWith("0101000020E8640000");
    }

    @Test
    void updateWritesTheChangedColumnsWithOldValuesAndTheAfterImage() throws SQLException {
        db.execute("update vk.facilitet_punkt set navn = 'Gammelt navn', antal_pl = 4 where id = 10");
        world.clearOutbox();

        db.execute("update vk.facilitet_punkt set navn = 'Nyt navn', antal_pl = null, intern_bemaerkning = 'x' where id = 10");

        OutboxRecord row = outbox().get(0);
        assertThat(outbox()).hasSize(1);
        assertThat(row.getOp()).isEqualTo("U");
        assertThat(row.getRowKey()).isEqualTo("10");
        assertThat(CapturedWorld.values(row.getOldValues())).containsOnly(Map.entry("navn", "Gammelt navn"), Map.entry("antal_pl", "4"));
        assertThat(CapturedWorld.values(row.getNewValues())).containsEntry("navn", "Nyt navn").containsEntry("antal_pl", null)
                .containsKey("geom").containsKey("objekt_id");
    }

    @Test
    void updatesThatChangeNoSyncedColumnWriteNothing() {
        db.execute("update vk.facilitet_punkt set intern_bemaerkning = 'tilset', tilsyn_dato = current_date where id between 1 and 20");
        db.execute("update vk.facilitet_punkt set navn = navn, geom = geom where id between 1 and 20");
        db.execute("update vk.facilitet_punkt set objekt_id = gen_random_uuid() where id = 3");

        assertThat(outbox()).isEmpty();
    }

    @Test
    void bulkUpdateWritesOneRowPerRowThatReallyChanged() {
        db.execute("update vk.facilitet_flade set statuskode = 3 where id <= 30");
        world.clearOutbox();

        db.execute("update vk.facilitet_flade set statuskode = case when id <= 10 then 3 else 4 end where id <= 30");

        assertThat(outbox()).hasSize(20).allMatch(r -> r.getOp().equals("U") && r.getSourceTable().equals("vk.facilitet_flade"));
    }

    @Test
    void deleteWritesTheKeyAndTheLastKnownObjektId() {
        String objektId = "0b6e3c2a-1111-1000-8000-00000000abcd";
        db.execute("update vk.rute_linje set objekt_id = '" + objektId + "' where id = 12");

        db.execute("delete from vk.rute_linje where id = 12");

        OutboxRecord row = outbox().get(0);
        assertThat(outbox()).hasSize(1);
        assertThat(row.getOp()).isEqualTo("D");
        assertThat(row.getRowKey()).isEqualTo("12");
        assertThat(CapturedWorld.values(row.getOldValues())).containsEntry("objekt_id", objektId).containsKey("navn");
        assertThat(row.getNewValues()).isNull();
    }

    @Test
    void rolledBackTransactionWritesNothing() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("update vk.facilitet_punkt set navn = 'fortrudt' where id = 2");
            s.execute("insert into vk.facilitet_punkt (facil_ty_k, geom) values (1012, 'SRID=25832;POINT(550000 6170000)')");
            c.rollback();
        }

        assertThat(outbox()).isEmpty();
    }

    @Test
    void twoTransactionsOnOneObjectEndWithTheValuesOfTheOneThatCommittedLast() throws Exception {
        try (Connection first = db.connect(); Connection second = db.connect()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            try (Statement s = second.createStatement()) {
                s.execute("select pg_current_xact_id()"); // the second transaction starts (and takes its txid) first
            }
            try (Statement s = first.createStatement()) {
                s.execute("update vk.facilitet_punkt set navn = 'først' where id = 5");
            }
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try (Statement s = second.createStatement()) {
                    s.execute("update vk.facilitet_punkt set navn = 'bagefter' where id = 5"); // waits for the first
                    second.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(waiting).isNotDone();
            first.commit();
            waiting.get(10, TimeUnit.SECONDS);
        }

        // both keys reach the same pump: one event, with the row as the later commit left it
        assertThat(outbox()).extracting(r -> CapturedWorld.values(r.getNewValues()).get("navn")).containsExactly("bagefter");
    }

    @Test
    void pumpDoesNotSkipALateCommittingTransaction() throws Exception {
        try (Connection late = db.connect()) {
            late.setAutoCommit(false);
            try (Statement s = late.createStatement()) {
                s.execute("update vk.facilitet_punkt set navn = 'sent' where id = 6"); // its key is written now, visible at commit
            }
            db.execute("update vk.facilitet_punkt set navn = 'tidligt' where id = 7");
            assertThat(outbox()).extracting(OutboxRecord::getRowKey).containsExactly("7");
            late.commit();
        }

        assertThat(outbox()).extracting(r -> r.getRowKey() + " " + CapturedWorld.values(r.getNewValues()).get("navn"))
                .containsExactly("7 tidligt", "6 sent");
    }

    @Test
    void writeBackSessionWritesNothing() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("set local " + CaptureTriggerSql.ORIGIN_SETTING + " = '" + CaptureTriggerSql.WRITE_BACK + "'");
            s.execute("update vk.facilitet_punkt set objekt_id = gen_random_uuid(), navn = 'fra GeoFA' where id = 7");
            c.commit();
        }

        assertThat(outbox()).isEmpty();
        db.execute("update vk.facilitet_punkt set navn = 'staff again' where id = 7");
        assertThat(outbox()).hasSize(1);
    }

    @Test
    void changedKeyBecomesADeleteAndAnInsert() throws SQLException {
        String objektId = "0b6e3c2a-2222-1000-8000-00000000abcd";
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false); // GeoFA's objekt_id written back: not captured, so only the row itself knows it
            s.execute("set local " + CaptureTriggerSql.ORIGIN_SETTING + " = '" + CaptureTriggerSql.WRITE_BACK + "'");
            s.execute("update vk.facilitet_punkt set objekt_id = '" + objektId + "' where id = 9");
            c.commit();
        }

        db.execute("update vk.facilitet_punkt set id = 100001 where id = 9");

        assertThat(outbox()).extracting(OutboxRecord::getOp, OutboxRecord::getRowKey)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("D", "9"), org.assertj.core.groups.Tuple.tuple("I", "100001"));
        assertThat(outbox().stream().filter(o -> o.getOp().equals("D")).map(o -> CapturedWorld.values(o.getOldValues()).get("objekt_id")))
                .as("the delete of the old key names the object").containsExactly(objektId);
    }

    @Test
    void datesReachTheOutboxInIsoWhateverTheSessionsDateStyle() throws SQLException {
        // transaction-local, inside one statement: the JDBC driver itself insists on ISO for its session
        db.execute("do $$ begin perform set_config('datestyle', 'SQL, DMY', true); "
                + "update vk.facilitet_punkt set saeson_st = '2026-05-01' where id = 11; "
                + "if current_date::text !~ '/' then raise exception 'DateStyle was not changed'; end if; end $$");

        assertThat(CapturedWorld.values(outbox().get(0).getNewValues())).containsEntry("saeson_st", "2026-05-01");
    }

    @Test
    void truncateOfACapturedTableIsRefused() {
        assertThatThrownBy(() -> db.execute("truncate vk.facilitet_flade"))
                .hasMessageContaining("TRUNCATE of vk.facilitet_flade is refused");
    }

    @Test
    void dbaViewsShowPendingAndRecentChangesReadably() throws SQLException {
        db.execute("update vk.facilitet_punkt set navn = 'Set i view' where id = 13");
        db.execute("delete from vk.facilitet_punkt where id = 14");

        try (Connection c = db.connect()) {
            assertThat(one(c, "select pending from sync.outbox_pending where source_table = 'vk.facilitet_punkt'")).as("keys the pump has not taken")
                    .isEqualTo("2");
            world.pump();
            assertThat(one(c, "select pending from sync.outbox_pending where source_table = 'vk.facilitet_punkt'")).as("outbox rows").isEqualTo("2");
            assertThat(one(c, "select operation || ' ' || row_key || ' ' || coalesce(changed_columns, '-') from sync.outbox_recent "
                    + "order by id limit 1")).isEqualTo("update 13 navn");
            assertThat(one(c, "select operation from sync.outbox_recent order by id desc limit 1")).isEqualTo("delete");
            assertThat(one(c, "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                    + "where n.nspname = 'sync' and c.relkind in ('r', 'v') and obj_description(c.oid, 'pg_class') is null "
                    + "and c.relname <> 'flyway_schema_history'")).isEqualTo("0");
        }
    }
}
