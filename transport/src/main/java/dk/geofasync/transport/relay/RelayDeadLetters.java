package dk.geofasync.transport.relay;

import static dk.geofasync.db.jooq.Tables.DEAD_LETTER;

import dk.geofasync.db.SyncSchema;
import java.sql.Connection;
import java.util.List;
import org.jooq.JSONB;

/**
 * Outbox rows the relay could not send, filed in {@code sync.dead_letter} like the applier's letters
 * (same table, same commands, same topic), in the transaction that marks them handled. The letter
 * keeps the place of the row, never its values: the row may be large, and it is still in VK.
 */
final class RelayDeadLetters {

    private RelayDeadLetters() {
    }

    static void file(Connection c, String sourceId, List<OutboxReader.Refused> refused) {
        if (refused.isEmpty()) {
            return;
        }
        var insert = SyncSchema.dsl(c).insertInto(DEAD_LETTER, DEAD_LETTER.EVENT_ID, DEAD_LETTER.SOURCE_TABLE, DEAD_LETTER.ROW_KEY,
                DEAD_LETTER.OP, DEAD_LETTER.COLUMN_NAME, DEAD_LETTER.REASON, DEAD_LETTER.PAYLOAD);
        for (OutboxReader.Refused r : refused) {
            insert = insert.values(sourceId + ":" + r.outboxId(), r.sourceTable(), r.rowKey(), r.op().code(), r.column().orElse(null), r.reason(),
                    JSONB.valueOf("{\"outbox_id\":" + r.outboxId() + ",\"refused_by\":\"relay\"}"));
        }
        insert.execute();
    }
}
