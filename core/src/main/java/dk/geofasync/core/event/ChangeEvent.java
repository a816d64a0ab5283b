package dk.geofasync.core.event;

import java.time.Instant;

/**
 * One captured change of a VK row, as the relay publishes it to {@code geofa-sync.changes}: the
 * contract between transport and applier (JSON: {@link ChangeEventJson}).
 *
 * @param eventId unique per VK database and outbox row: {@code <source id>:<outbox id>}; the inbox key
 * @param outboxId the outbox row's id
 * @param txid the VK transaction (xid8, as text)
 * @param sourceTable schema.table in VK
 * @param rowKey the row's primary key value as text
 * @param oldValues U: old values of the changed synced columns; D: the last values and objekt_id; I: none
 * @param newValues I and U: the after-image of the synced columns and the objekt_id column; D: none
 * @param withheld VK columns whose values stayed in VK on the way (personal data, the mapping's
 *     {@code sensitive} columns): null in both images here, read back from VK's outbox by the applier
 */
public record ChangeEvent(
        String eventId,
        long outboxId,
        String txid,
        String sourceTable,
        String rowKey,
        Operation op,
        Instant capturedAt,
        ColumnValues oldValues,
        ColumnValues newValues,
        java.util.Set<String> withheld) {

    public ChangeEvent {
        withheld = java.util.Set.copyOf(withheld);
    }

    /** An event that carries all its values. */
    public ChangeEvent(String eventId, long outboxId, String txid, String sourceTable, String rowKey, Operation op, Instant capturedAt,
                       ColumnValues oldValues, ColumnValues newValues) {
        this(eventId, outboxId, txid, sourceTable, rowKey, op, capturedAt, oldValues, newValues, java.util.Set.of());
    }

    /** The event with its withheld values put back ({@code oldValues} and {@code newValues} whole again). */
    public ChangeEvent restored(ColumnValues oldValues, ColumnValues newValues) {
        return new ChangeEvent(eventId, outboxId, txid, sourceTable, rowKey, op, capturedAt, oldValues, newValues, java.util.Set.of());
    }

    /** The Kafka key: all events of one object share it, so they stay in order on one partition. */
    public String objectKey() {
        return sourceTable + ":" + rowKey;
    }

    /** The columns an update changed (the keys of its old values). */
    public java.util.Set<String> changedColumns() {
        return oldValues.columns();
    }
}
