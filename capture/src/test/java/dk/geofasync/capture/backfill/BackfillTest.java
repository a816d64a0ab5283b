package dk.geofasync.capture.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.capture.CapturedWorld;
import dk.geofasync.db.jooq.tables.records.OutboxRecord;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BackfillTest {

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

    private long linked(String table) {
        return world.count("select 1 from " + table + " where objekt_id is not null");
    }

    @Test
    void backfillEnqueuesRowsNotYetInGeofaInSmallChunks() {
        Map<String, Long> enqueued = new Backfill(db.dataSource(), 7).run(world.mapping(), Optional.empty(), false);

        assertThat(enqueued).containsEntry("vk.facilitet_punkt", CapturedWorld.OBJECTS - linked("vk.facilitet_punkt"));
        assertThat(world.outbox()).hasSize(enqueued.values().stream().mapToInt(Long::intValue).sum())
                .allMatch(r -> r.getOp().equals("I") && CapturedWorld.values(r.getNewValues()).get("objekt_id") == null);
    }

    @Test
    void backfillAllEnqueuesEveryRowOfOneTable() {
        Map<String, Long> enqueued = new Backfill(db.dataSource(), 1000).run(world.mapping(), Optional.of("vk.rute_linje"), true);

        assertThat(enqueued).containsOnly(Map.entry("vk.rute_linje", (long) CapturedWorld.OBJECTS));
        assertThat(world.outbox()).extracting(OutboxRecord::getRowKey).doesNotHaveDuplicates().hasSize(CapturedWorld.OBJECTS);
        assertThat(world.outbox()).anyMatch(r -> CapturedWorld.values(r.getNewValues()).get("objekt_id") != null);
    }

    @Test
    void backfilledRowLooksExactlyLikeACapturedInsert() {
        db.execute("insert into vk.facilitet_punkt (id, facil_ty_k, navn, saeson_st, geom) "
                + "values (5000, 1191, 'Hundeskov', '2026-04-01', 'SRID=25832;MULTIPOINT((551000 6171000))')");
        Map<String, String> captured = CapturedWorld.values(world.outbox().get(0).getNewValues());
        world.clearOutbox();

        new Backfill(db.dataSource(), 50).run(world.mapping(), Optional.of("vk.facilitet_punkt"), false);

        OutboxRecord backfilled = world.outbox().stream().filter(r -> r.getRowKey().equals("5000")).findFirst().orElseThrow();
        assertThat(CapturedWorld.values(backfilled.getNewValues())).isEqualTo(captured);
    }

    @Test
    void unknownTableIsRefused() {
        assertThatThrownBy(() -> new Backfill(db.dataSource(), 10).run(world.mapping(), Optional.of("vk.nothing"), false))
                .hasMessageContaining("table vk.nothing is not in the mapping");
    }
}
