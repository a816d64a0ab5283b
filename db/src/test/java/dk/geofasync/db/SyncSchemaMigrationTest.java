package dk.geofasync.db;

import static dk.geofasync.db.jooq.Tables.OUTBOX;
import static dk.geofasync.db.jooq.Tables.RELAY_PROGRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.db.jooq.tables.records.OutboxRecord;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.postgres.extensions.types.Hstore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SyncSchemaMigrationTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    private static final List<String> TABLES = List.of(
            "outbox", "relay_progress", "inbox", "object_link", "run", "change_log", "dead_letter");

    private static SyncSchema.MigrationOutcome first;

    @BeforeAll
    static void migrate() {
        first = SyncSchema.migrate(db.dataSource());
    }

    private DSLContext dsl() {
        return SyncSchema.dsl(db.dataSource());
    }

    @Test
    void migrationCreatesEveryTableOfTheSyncSchema() {
        List<String> tables = dsl().fetch(
                "select table_name::text from information_schema.tables where table_schema = 'sync' order by 1")
                .getValues(0, String.class);

        assertThat(first.applied()).isNotEmpty();
        assertThat(tables).containsAll(TABLES).contains("flyway_schema_history");
    }

    @Test
    void postgisWorksInTheSameDatabase() {
        String geometry = dsl().fetchSingle(
                "select st_astext(st_multi(st_setsrid(st_makepoint(552000, 6174000), 25832)))").get(0, String.class);

        assertThat(geometry).isEqualTo("MULTIPOINT((552000 6174000))");
    }

    @Test
    void migratingAgainChangesNothing() {
        SyncSchema.MigrationOutcome again = SyncSchema.migrate(db.dataSource());

        assertThat(again.applied()).isEmpty();
        assertThat(again.toVersion()).isEqualTo(first.toVersion());
    }

    @Test
    void everyTableAndColumnCarriesACommentForDbas() {
        List<String> uncommented = dsl().fetch("""
                select c.relname || coalesce('.' || a.attname, '')
                  from pg_class c
                  join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'sync'
                  left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                 where c.relkind = 'r' and c.relname <> 'flyway_schema_history'
                   and col_description(c.oid, coalesce(a.attnum, 0)) is null
                   and (a.attnum is not null or obj_description(c.oid, 'pg_class') is null)
                 order by 1
                """).getValues(0, String.class);

        assertThat(uncommented).isEmpty();
    }

    @Test
    void generatedJooqClassesMatchTheRealSchema() {
        OutboxRecord written = dsl().insertInto(OUTBOX)
                .set(OUTBOX.SOURCE_TABLE, "vk.facilitet_punkt")
                .set(OUTBOX.ROW_KEY, "42")
                .set(OUTBOX.OP, "U")
                .set(OUTBOX.OLD_VALUES, Hstore.valueOf(Map.of("navn", "Shelter")))
                .set(OUTBOX.NEW_VALUES, Hstore.valueOf(Map.of("navn", "Shelter ved søen", "antal_pl", "4")))
                .returning()
                .fetchOne();

        OutboxRecord read = dsl().selectFrom(OUTBOX).where(OUTBOX.ID.eq(written.getId())).fetchOne();
        assertThat(read.getTxid()).as("xid8 transaction id filled by the column default").isPositive();
        assertThat(read.getNewValues().data()).containsEntry("navn", "Shelter ved søen").containsEntry("antal_pl", "4");
        assertThat(read.getCapturedAt()).isNotNull();
        assertThat(read.getPublishedAt()).isNull();

        dsl().insertInto(RELAY_PROGRESS).set(RELAY_PROGRESS.RELAY_NAME, "main").execute();
        assertThat(dsl().fetchCount(RELAY_PROGRESS)).isEqualTo(1);
    }

    @Test
    void outboxRefusesAnUnknownOperation() {
        assertThatThrownBy(() -> dsl().insertInto(OUTBOX)
                .set(OUTBOX.SOURCE_TABLE, "vk.facilitet_punkt").set(OUTBOX.ROW_KEY, "1").set(OUTBOX.OP, "X").execute())
                .hasMessageContaining("outbox_op_check");
    }
}
