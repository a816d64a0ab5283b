package dk.geofasync.capture.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.capture.CapturedWorld;
import dk.geofasync.capture.housekeeping.OutboxHousekeeping;
import dk.geofasync.db.jooq.tables.records.OutboxRecord;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events Kafka dropped before the applier read them are sent again from VK, as each object's current state. */
class OutboxReplayTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    @Test
    void eventsNeverHandledAreReplacedByTheObjectsCurrentStateAndTheHandledOnesAreLeftAlone() {
        CapturedWorld world = new CapturedWorld(db).build();
        db.execute("update vk.facilitet_punkt set navn = 'first' where id = 1");
        world.pump(); // two events of one object: the relay pumped in between
        db.execute("update vk.facilitet_punkt set navn = 'second' where id = 1");
        db.execute("update vk.facilitet_punkt set navn = 'handled' where id = 3");
        db.execute("delete from vk.facilitet_punkt where id = 2");
        world.pump();
        db.execute("update sync.outbox set published_at = now() - interval '8 days'");
        db.execute("insert into sync.inbox (event_id, source_table, row_key, op, state, handled_at) select (select id::text from sync.source) "
                + "|| ':' || id, source_table, row_key, op, 'applied', now() - interval '8 days' from sync.outbox where row_key = '3'");
        long before = world.outbox().stream().mapToLong(OutboxRecord::getId).max().orElseThrow();

        OutboxReplay.Replayed replayed = new OutboxReplay(db.dataSource()).replayUnhandled(world.mapping(), Duration.ofHours(1));

        assertThat(replayed.objects()).isEqualTo(2);
        assertThat(replayed.events()).isEqualTo(3);
        assertThat(world.outbox().stream().filter(o -> o.getId() > before))
                .extracting(o -> o.getRowKey() + " " + o.getOp() + " " + (o.getNewValues() == null ? "" : o.getNewValues().data().get("navn")))
                .as("one event per object, its state now: the row, or its deletion").containsExactly("1 I second", "2 D ");
        assertThat(new OutboxReplay(db.dataSource()).replayUnhandled(world.mapping(), Duration.ofHours(1)).objects())
                .as("the lost events are closed: a second replay finds nothing").isZero();
        assertThat(new OutboxHousekeeping(db.dataSource(), Clock.systemUTC()).purgePublished(Duration.ofDays(1), 100))
                .as("and housekeeping may remove them now").isEqualTo(4);
    }
}
