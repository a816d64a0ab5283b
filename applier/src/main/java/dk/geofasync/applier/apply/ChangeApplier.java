package dk.geofasync.applier.apply;

import dk.geofasync.applier.deadletter.DeadLetters;
import dk.geofasync.applier.deadletter.RejectionReason;
import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.core.event.Reply;
import dk.geofasync.applier.writeback.ReplySink;
import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.event.Operation;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one change event to GeoFA: an object VK has not linked yet is created (and its objekt_id
 * sent back), a linked one gets its changed mapped columns, a delete closes it. Events already
 * handled are dropped (inbox). What GeoFA refuses goes to dead letters with the reason, and later
 * events of that object wait behind it; other objects go on. {@link GeofaException.Unavailable}
 * and {@link GeofaException.OutcomeUnknown} pass to the caller: the event was not finished and
 * must be delivered again.
 */
public final class ChangeApplier {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeApplier.class);

    private final Mapping mapping;
    private final GeofaWriter writer;
    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final ChangeLog changeLog;
    private final ReplySink replies;

    public ChangeApplier(Mapping mapping, GeofaWriter writer, DataSource vk, ReplySink replies) {
        this.mapping = mapping;
        this.writer = writer;
        this.inbox = new Inbox(vk);
        this.deadLetters = new DeadLetters(vk);
        this.changeLog = new ChangeLog(vk);
        this.replies = replies;
    }

    /** @param payload the event as received, kept with a dead letter */
    public Applied apply(ChangeEvent e, byte[] payload) {
        if (inbox.receive(e)) {
            return Applied.DUPLICATE;
        }
        Optional<TableMapping> mapped = mapping.table(e.sourceTable());
        if (mapped.isEmpty()) {
            return deadLetter(e, payload, Optional.empty(), new RejectionReason(Optional.empty(),
                    "VK table " + e.sourceTable() + " is not in the mapping " + mapping.source()), Optional.empty());
        }
        TableMapping table = mapped.get();
        Optional<Long> blocking = deadLetters.openFor(e.sourceTable(), e.rowKey());
        if (blocking.isPresent()) {
            return deadLetter(e, payload, Optional.of(table), new RejectionReason(Optional.empty(), "waits behind dead letter #"
                    + blocking.get() + " of the same object; retry that one first"), Optional.empty());
        }
        try {
            return e.op() == Operation.DELETE ? delete(e, table) : upsert(e, table);
        } catch (GeofaException.Rejected r) {
            RejectionReason reason = RejectionReason.explain(r.geofaMessage(), table, GeofaValues.forCreate(table, e.newValues(), ""));
            return deadLetter(e, payload, Optional.of(table), reason, Optional.of(r.geofaMessage()));
        } catch (IllegalArgumentException bad) {
            return deadLetter(e, payload, Optional.of(table), new RejectionReason(Optional.empty(), bad.getMessage()), Optional.empty());
        }
    }

    private Applied upsert(ChangeEvent e, TableMapping table) {
        String key = e.rowKey();
        Optional<UUID> objektId = writer.linkedObject(table, key);
        if (objektId.isEmpty()) {
            // a create of this row was sent but never answered (this event comes again): GeoFA may have it
            Optional<GeofaWriter.Created> resumed = writer.resolvePending(table, key);
            if (resumed.isPresent()) {
                replies.send(new Reply(e.sourceTable(), key, resumed.get().objektId(), resumed.get().versionsId()));
                if (e.op() == Operation.INSERT) {
                    return created(e, table, resumed.get());
                }
                objektId = Optional.of(resumed.get().objektId());
            }
        }
        if (objektId.isEmpty()) {
            Optional<UUID> named = e.newValues().value(table.objektIdColumn()).map(ChangeApplier::uuid);
            named.ifPresent(id -> writer.adopt(table, key, id));
            objektId = named;
        }
        if (objektId.isEmpty()) {
            GeofaWriter.Created created = writer.create(table, key, e.newValues());
            replies.send(new Reply(e.sourceTable(), key, created.objektId(), created.versionsId()));
            return created(e, table, created);
        }
        // an insert event for a linked object (backfill --all, replay) carries state: send every mapped column
        Set<String> columns = e.op() == Operation.INSERT ? Set.copyOf(table.syncedVkColumns()) : e.changedColumns();
        Optional<UUID> version = writer.update(table, key, objektId.get(), e.newValues(), columns);
        if (version.isEmpty()) {
            inbox.finish(e, "skipped", null, null);
            return Applied.SKIPPED;
        }
        changeLog.record(e, table, objektId, GeofaValues.forUpdate(table, e.oldValues(), columns), GeofaValues.forUpdate(table, e.newValues(), columns));
        inbox.finish(e, "applied", "{\"objekt_id\":\"" + objektId.get() + "\",\"versions_id\":\"" + version.get() + "\"}", null);
        return Applied.UPDATED;
    }

    private Applied created(ChangeEvent e, TableMapping table, GeofaWriter.Created created) {
        changeLog.record(e, table, Optional.of(created.objektId()), Map.of(), GeofaValues.forCreate(table, e.newValues(), ""));
        inbox.finish(e, "applied", "{\"objekt_id\":\"" + created.objektId() + "\",\"versions_id\":\"" + created.versionsId() + "\"}", null);
        return Applied.CREATED;
    }

    private Applied delete(ChangeEvent e, TableMapping table) {
        String key = e.rowKey();
        Optional<UUID> objektId = writer.linkedObject(table, key)
                .or(() -> writer.resolvePending(table, key).map(GeofaWriter.Created::objektId))
                .or(() -> e.oldValues().value(table.objektIdColumn()).map(ChangeApplier::uuid));
        if (objektId.isEmpty()) {
            inbox.finish(e, "skipped", null, "the object never reached GeoFA");
            return Applied.SKIPPED;
        }
        boolean closed = writer.delete(table, key, objektId.get());
        changeLog.record(e, table, objektId, Map.of("objekt_id", objektId.get()), Map.of());
        inbox.finish(e, closed ? "applied" : "skipped", "{\"objekt_id\":\"" + objektId.get() + "\"}", closed ? null : "already closed in GeoFA");
        return closed ? Applied.DELETED : Applied.SKIPPED;
    }

    private Applied deadLetter(ChangeEvent e, byte[] payload, Optional<TableMapping> table, RejectionReason reason, Optional<String> geofaMessage) {
        Optional<UUID> objektId = table.flatMap(t -> writer.linkedObject(t, e.rowKey()));
        long id = deadLetters.add(e, table.map(t -> t.theme().name()), objektId, reason, geofaMessage, payload);
        inbox.finish(e, "dead_lettered", null, reason.reason());
        LOG.error("dead letter #{}: {} {}{}: {}", id, e.sourceTable(), e.rowKey(), reason.column().map(c -> ", column " + c).orElse(""), reason.reason());
        return Applied.DEAD_LETTERED;
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("objekt_id '" + text + "' is not a UUID");
        }
    }
}
