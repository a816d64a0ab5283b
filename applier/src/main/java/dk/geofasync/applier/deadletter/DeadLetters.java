package dk.geofasync.applier.deadletter;

import static dk.geofasync.db.jooq.Tables.DEAD_LETTER;

import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.event.DeadLetterEvent;
import dk.geofasync.core.event.Operation;
import dk.geofasync.db.jooq.tables.records.DeadLetterRecord;
import dk.geofasync.db.SyncSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/** {@code sync.dead_letter}: events that could not be applied, with the reason for staff. */
public final class DeadLetters {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final DSLContext dsl;

    public DeadLetters(DataSource dataSource) {
        this.dsl = SyncSchema.dsl(dataSource);
    }

    /**
     * Files a letter for a record that is not a readable change event, once per place on the topic:
     * a record delivered again is not filed again. Returns the new letter's id, or empty when it was
     * filed before. {@code objectKey} is its Kafka key.
     */
    public Optional<Long> addMalformed(String topic, int partition, long offset, String objectKey, byte[] payload, String message) {
        String key = objectKey == null ? "?" : objectKey;
        int colon = key.lastIndexOf(':');
        String eventId = "malformed:" + topic + ":" + partition + ":" + offset;
        // PostgreSQL text and jsonb cannot hold NUL; a record may
        String raw = new String(payload == null ? new byte[0] : payload, StandardCharsets.UTF_8).replace('\u0000', '\uFFFD');
        return dsl.insertInto(DEAD_LETTER, DEAD_LETTER.EVENT_ID, DEAD_LETTER.SOURCE_TABLE, DEAD_LETTER.ROW_KEY, DEAD_LETTER.OP,
                        DEAD_LETTER.REASON, DEAD_LETTER.PAYLOAD)
                .select(DSL.select(DSL.val(eventId), DSL.val(printable(colon < 0 ? key : key.substring(0, colon))),
                                DSL.val(printable(colon < 0 ? "?" : key.substring(colon + 1))), DSL.val("U"), DSL.val(printable(message)),
                                DSL.val(JSONB.valueOf(JSON.createObjectNode().put("raw", raw).toString())))
                        .whereNotExists(DSL.selectOne().from(DEAD_LETTER).where(DEAD_LETTER.EVENT_ID.eq(eventId))))
                .returning(DEAD_LETTER.ID).fetchOptional().map(DeadLetterRecord::getId);
    }

    private static String printable(String text) {
        return text.replace('\u0000', '\uFFFD');
    }

    /** The open letters of rows {@code keys} of {@code table}, the oldest per row, in one query: the objects whose events wait. */
    public Map<String, Long> openFor(String table, Collection<String> keys) {
        Map<String, Long> open = new HashMap<>();
        if (keys.isEmpty()) {
            return open;
        }
        dsl.select(DEAD_LETTER.ROW_KEY, DSL.min(DEAD_LETTER.ID)).from(DEAD_LETTER)
                .where(DEAD_LETTER.SOURCE_TABLE.eq(table), DEAD_LETTER.ROW_KEY.in(keys), DEAD_LETTER.STATUS.eq("open"))
                .groupBy(DEAD_LETTER.ROW_KEY)
                .forEach(r -> open.put(r.value1(), r.value2()));
        return open;
    }

    /**
     * Closes the open letters of row {@code rowKey} of {@code table} as superseded, in the transaction
     * of {@code c}: a newer change of the object was applied as its whole state. Returns their ids.
     * They are published again with their new state.
     */
    public List<Long> supersede(Connection c, String table, String rowKey) {
        OffsetDateTime now = OffsetDateTime.now();
        return DSL.using(c, dsl.dialect(), dsl.settings()).update(DEAD_LETTER)
                .set(DEAD_LETTER.STATUS, DeadLetterEvent.Status.SUPERSEDED.code()).set(DEAD_LETTER.RESOLVED_AT, now)
                .set(DEAD_LETTER.UPDATED_AT, now).setNull(DEAD_LETTER.PUBLISHED_AT)
                .where(DEAD_LETTER.SOURCE_TABLE.eq(table), DEAD_LETTER.ROW_KEY.eq(rowKey), DEAD_LETTER.STATUS.eq(DeadLetterEvent.Status.OPEN.code()))
                .returning(DEAD_LETTER.ID).fetch(DEAD_LETTER.ID);
    }

    /** A letter to publish, with the updated_at it had when read: the version of its state. */
    public record Pending(DeadLetterEvent letter, OffsetDateTime updatedAt) {
    }

    /** Up to {@code limit} letters whose present state is not yet on the topic, oldest first. */
    public List<Pending> unpublished(int limit) {
        return dsl.selectFrom(DEAD_LETTER).where(DEAD_LETTER.PUBLISHED_AT.isNull()).orderBy(DEAD_LETTER.ID).limit(limit)
                .fetch(r -> new Pending(event(r), r.getUpdatedAt()));
    }

    /**
     * Notes that these states of the letters are on the topic. A letter that changed since it was read
     * (its updated_at moved) stays unpublished, so its new state goes out too.
     */
    public void published(List<Pending> letters) {
        if (letters.isEmpty()) {
            return;
        }
        dsl.update(DEAD_LETTER).set(DEAD_LETTER.PUBLISHED_AT, OffsetDateTime.now())
                .where(DSL.row(DEAD_LETTER.ID, DEAD_LETTER.UPDATED_AT).in(letters.stream()
                        .map(p -> DSL.row(p.letter().letterId(), p.updatedAt())).toList()))
                .execute();
    }

    private static DeadLetterEvent event(DeadLetterRecord r) {
        return new DeadLetterEvent(r.getId(), DeadLetterEvent.Status.fromCode(r.getStatus()), r.getEventId(), r.getSourceTable(), r.getRowKey(),
                Optional.ofNullable(r.getTheme()), Optional.ofNullable(r.getObjektId()), Operation.fromCode(r.getOp()),
                Optional.ofNullable(r.getColumnName()), r.getReason(), Optional.ofNullable(r.getGeofaMessage()), r.getAttempts(),
                r.getCreatedAt().toInstant(), Optional.ofNullable(r.getResolvedAt()).map(OffsetDateTime::toInstant));
    }

    /** Files a letter for {@code event} in the transaction of {@code c}; {@code payload} is the event as it was received. */
    public long add(Connection c, ChangeEvent event, Optional<String> theme, Optional<UUID> objektId, RejectionReason reason,
                    Optional<String> geofaMessage, byte[] payload) {
        return add(DSL.using(c, dsl.dialect(), dsl.settings()), event, theme, objektId, reason, geofaMessage, payload);
    }

    private static long add(DSLContext dsl, ChangeEvent event, Optional<String> theme, Optional<UUID> objektId, RejectionReason reason,
                            Optional<String> geofaMessage, byte[] payload) {
        return dsl.insertInto(DEAD_LETTER)
                .set(DEAD_LETTER.EVENT_ID, event.eventId())
                .set(DEAD_LETTER.SOURCE_TABLE, event.sourceTable())
                .set(DEAD_LETTER.ROW_KEY, event.rowKey())
                .set(DEAD_LETTER.THEME, theme.orElse(null))
                .set(DEAD_LETTER.OBJEKT_ID, objektId.orElse(null))
                .set(DEAD_LETTER.OP, event.op().code())
                .set(DEAD_LETTER.COLUMN_NAME, reason.column().orElse(null))
                .set(DEAD_LETTER.REASON, reason.reason())
                .set(DEAD_LETTER.GEOFA_MESSAGE, geofaMessage.orElse(null))
                .set(DEAD_LETTER.PAYLOAD, JSONB.valueOf(new String(payload, StandardCharsets.UTF_8)))
                .returning(DEAD_LETTER.ID).fetchOne().getId();
    }
}
