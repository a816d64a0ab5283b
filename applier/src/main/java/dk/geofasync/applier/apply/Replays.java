package dk.geofasync.applier.apply;

import static dk.geofasync.db.jooq.Tables.REPLAY;

import dk.geofasync.db.SyncSchema;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * The replays asked for ({@code sync.replay}) of one consumer group on one topic: which events are
 * read again on purpose, so the inbox lets them through once more.
 */
public final class Replays {

    private record Window(int partition, long from, long until, OffsetDateTime requestedAt) {
    }

    private final DSLContext dsl;
    private final String group;
    private final String topic;
    private List<Window> windows = List.of();

    public Replays(DataSource vk, String group, String topic) {
        this.dsl = SyncSchema.dsl(vk);
        this.group = group;
        this.topic = topic;
    }

    /** Reads the replays again (one small query; a replay may have been asked for since). */
    public void refresh() {
        windows = dsl.select(REPLAY.KAFKA_PARTITION, REPLAY.FROM_OFFSET, REPLAY.UNTIL_OFFSET, REPLAY.REQUESTED_AT).from(REPLAY)
                .where(REPLAY.CONSUMER_GROUP.eq(group), REPLAY.TOPIC.eq(topic))
                .fetch(r -> new Window(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /** When the latest replay that re-reads this event was asked for; empty when the event is not replayed. */
    public Optional<OffsetDateTime> since(int partition, long offset) {
        return windows.stream().filter(w -> w.partition() == partition && offset >= w.from() && offset < w.until())
                .map(Window::requestedAt).max(OffsetDateTime::compareTo);
    }
}
