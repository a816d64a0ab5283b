package dk.geofasync.applier.apply;

import static dk.geofasync.db.jooq.Tables.INBOX;

import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.db.SyncSchema;
import java.time.OffsetDateTime;
import java.util.Set;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.JSONB;

/** {@code sync.inbox}: every event the applier took, so one delivered twice is applied once. */
final class Inbox {

    private static final Set<String> FINAL = Set.of("applied", "skipped", "dead_lettered");

    private final DSLContext dsl;

    Inbox(DataSource dataSource) {
        this.dsl = SyncSchema.dsl(dataSource);
    }

    /** Notes the event (another attempt if it was seen); true when it was already handled to the end. */
    boolean receive(ChangeEvent e) {
        String state = dsl.insertInto(INBOX)
                .set(INBOX.EVENT_ID, e.eventId()).set(INBOX.SOURCE_TABLE, e.sourceTable()).set(INBOX.ROW_KEY, e.rowKey())
                .set(INBOX.OP, e.op().code()).set(INBOX.ATTEMPTS, 1)
                .onConflict(INBOX.EVENT_ID).doUpdate().set(INBOX.ATTEMPTS, INBOX.ATTEMPTS.plus(1))
                .returning(INBOX.STATE).fetchOne().getState();
        return FINAL.contains(state);
    }

    void finish(ChangeEvent e, String state, String result, String error) {
        dsl.update(INBOX).set(INBOX.STATE, state).set(INBOX.RESULT, result == null ? null : JSONB.valueOf(result))
                .set(INBOX.LAST_ERROR, error).set(INBOX.HANDLED_AT, OffsetDateTime.now())
                .where(INBOX.EVENT_ID.eq(e.eventId())).execute();
    }
}
