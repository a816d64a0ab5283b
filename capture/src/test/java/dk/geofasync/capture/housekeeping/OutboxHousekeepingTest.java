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
    void publishedRowsOlderThanTheRetentionGoInBatchesAndUnpublishedStay() {
        CapturedWorld world = new CapturedWorld(db).build();
        db.execute("update vk.facilitet_punkt set navn = 'ændret ' || id where id <= 25");
        db.execute("update sync.outbox set published_at = now() - interval '10 days' where row_key::int <= 20");
        db.execute("update sync.outbox set published_at = now() - interval '1 hour' where row_key::int between 21 and 23");

        long purged = new OutboxHousekeeping(db.dataSource(), Clock.systemUTC()).purgePublished(Duration.ofDays(7), 6);

        assertThat(purged).isEqualTo(20);
        assertThat(world.outbox()).extracting(OutboxRecord::getRowKey).containsExactly("21", "22", "23", "24", "25");
    }
}
