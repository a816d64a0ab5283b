package dk.geofasync.app.action;

import static dk.geofasync.db.jooq.Tables.DEAD_LETTER;
import static dk.geofasync.db.jooq.Tables.OBJECT_LINK;

import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.db.jooq.tables.records.DeadLetterRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/** Retrying and discarding dead letters, for {@code geofa-sync dead-letters} and the service's actions alike. */
public final class DeadLetterActions {

    /** An object whose current VK state was queued again, and how many of its letters that resolved. */
    public record Retried(String table, String key, long outboxId, int resolved) {
    }

    /** What became of a letter asked to be discarded. */
    public enum Discarded { DISCARDED, NOT_OPEN, NONE }

    private final DataSource vk;
    private final DSLContext dsl;

    public DeadLetterActions(DataSource vk) {
        this.vk = vk;
        this.dsl = SyncSchema.dsl(vk);
    }

    /**
     * Queues the current VK state of the letter's object (one letter, or every open one when {@code id}
     * is empty) and marks the object's open letters resolved; one retry per object.
     *
     * @throws IllegalArgumentException there is no such letter, or its table is not in the mapping
     */
    public List<Retried> retry(Mapping mapping, Optional<Long> id) {
        List<DeadLetterRecord> letters = dsl.selectFrom(DEAD_LETTER)
                .where(id.isEmpty() ? DEAD_LETTER.STATUS.eq("open") : DEAD_LETTER.ID.eq(id.get())).orderBy(DEAD_LETTER.ID).fetch();
        if (id.isPresent() && letters.isEmpty()) {
            throw new IllegalArgumentException("there is no dead letter #" + id.get());
        }
        for (DeadLetterRecord d : letters) { // all or nothing: a letter of a table gone from the mapping stops the retry before any is queued
            if (mapping.table(d.getSourceTable()).isEmpty()) {
                throw new IllegalArgumentException("dead letter #" + d.getId() + ": table " + d.getSourceTable() + " is not in the mapping "
                        + mapping.source() + "; nothing was queued");
            }
        }
        Backfill enqueue = new Backfill(vk, 1);
        Set<String> done = new HashSet<>();
        List<Retried> retried = new ArrayList<>();
        for (DeadLetterRecord d : letters) {
            if (!done.add(d.getSourceTable() + ":" + d.getRowKey())) {
                continue; // one retry per object: its current state covers all its letters
            }
            TableMapping table = mapping.table(d.getSourceTable()).orElseThrow();
            Optional<String> objektId = dsl.select(OBJECT_LINK.OBJEKT_ID).from(OBJECT_LINK)
                    .where(OBJECT_LINK.SOURCE_TABLE.eq(d.getSourceTable()), OBJECT_LINK.ROW_KEY.eq(d.getRowKey()))
                    .fetchOptional(OBJECT_LINK.OBJEKT_ID).map(Object::toString)
                    .or(() -> Optional.ofNullable(d.getObjektId()).map(Object::toString));
            long outboxId = enqueue.enqueueRow(table, d.getRowKey(), objektId);
            int resolved = dsl.update(DEAD_LETTER).set(DEAD_LETTER.STATUS, "resolved").set(DEAD_LETTER.RESOLVED_AT, OffsetDateTime.now())
                    .set(DEAD_LETTER.UPDATED_AT, OffsetDateTime.now()).set(DEAD_LETTER.ATTEMPTS, DEAD_LETTER.ATTEMPTS.plus(1))
                    .setNull(DEAD_LETTER.PUBLISHED_AT) // the topic hears that it is resolved
                    .where(DEAD_LETTER.SOURCE_TABLE.eq(d.getSourceTable()), DEAD_LETTER.ROW_KEY.eq(d.getRowKey()), DEAD_LETTER.STATUS.eq("open"))
                    .execute();
            retried.add(new Retried(d.getSourceTable(), d.getRowKey(), outboxId, resolved));
        }
        return retried;
    }

    /** Closes an open letter as discarded: nothing is sent (it is purged after the retention). */
    public Discarded discard(long id) {
        int closed = dsl.update(DEAD_LETTER).set(DEAD_LETTER.STATUS, "discarded").set(DEAD_LETTER.RESOLVED_AT, OffsetDateTime.now())
                .set(DEAD_LETTER.UPDATED_AT, OffsetDateTime.now())
                .setNull(DEAD_LETTER.PUBLISHED_AT) // the topic hears that it is closed
                .where(DEAD_LETTER.ID.eq(id), DEAD_LETTER.STATUS.eq("open")).execute();
        if (closed == 1) {
            return Discarded.DISCARDED;
        }
        return dsl.fetchExists(DEAD_LETTER, DEAD_LETTER.ID.eq(id)) ? Discarded.NOT_OPEN : Discarded.NONE;
    }
}
