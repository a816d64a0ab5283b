package dk.geofasync.transport.replay;

import static dk.geofasync.db.jooq.Tables.REPLAY;

import dk.geofasync.db.SyncSchema;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * Records a replay in {@code sync.replay} before the group is moved, so the applier knows which
 * events it reads again on purpose (and applies them again instead of dropping them as duplicates).
 */
public final class ReplayLog {

    private final DSLContext dsl;

    public ReplayLog(DataSource vk) {
        this.dsl = SyncSchema.dsl(vk);
    }

    /** One row per partition of the move: from the new position up to the partition's end. */
    public void record(ConsumerGroupReplay.Move move) {
        dsl.transaction(tx -> move.positions().forEach((partition, from) -> tx.dsl().insertInto(REPLAY)
                .set(REPLAY.CONSUMER_GROUP, move.group()).set(REPLAY.TOPIC, move.topic())
                .set(REPLAY.KAFKA_PARTITION, partition.partition()).set(REPLAY.FROM_OFFSET, from)
                .set(REPLAY.UNTIL_OFFSET, move.ends().getOrDefault(partition, from))
                .execute()));
    }
}
