package dk.geofasync.capture.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.capture.CapturedWorld;
import dk.geofasync.db.jooq.tables.records.OutboxRecord;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OutboxHousekeepingTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    @Test
    void handledRowsOlderThanTheRetentionGoInBatchesAndUnhandledOrUnpublishedStay() {
        CapturedWorld world = new CapturedWorld(db).build();
        db.execute("update vk.facilitet_punkt set navn = 'ændret ' || id where id <= 25");
        world.pump();
        db.execute("update sync.outbox set published_at = now() - interval '10 days' where row_key::int <= 20");
        db.execute("update sync.outbox set published_at = now() - interval '1 hour' where row_key::int between 21 and 23");
        // the applier handled rows 1-17 (18 it still works on; 19 the relay filed as a dead letter; 20 Kafka may have lost)
        db.execute("insert into sync.inbox (event_id, source_table, row_key, op, state) select (select id::text from sync.source) || ':' || id, "
                + "source_table, row_key, op, case when row_key::int = 18 then 'received' else 'applied' end from sync.outbox where row_key::int <= 18");
        db.execute("insert into sync.dead_letter (event_id, source_table, row_key, op, reason, payload) select (select id::text from sync.source) "
                + "|| ':' || id, source_table, row_key, op, 'too large', '{}' from sync.outbox where row_key = '19'");

        long purged = new OutboxHousekeeping(db.dataSource(), Clock.systemUTC()).purgePublished(Duration.ofDays(7), 6);

        assertThat(purged).isEqualTo(18);
        assertThat(world.outbox()).extracting(OutboxRecord::getRowKey).containsExactly("18", "20", "21", "22", "23", "24", "25");
    }
}
