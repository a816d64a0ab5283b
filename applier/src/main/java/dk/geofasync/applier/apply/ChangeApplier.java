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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** Objects per create statement: GeoFA documents no limit; a modest one keeps each transaction there short. */
    static final int MAX_BATCH = 100;

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

    /** An event as received from Kafka: the parsed event and its bytes (kept with a dead letter). */
    public record Incoming(ChangeEvent event, byte[] payload) {
    }

    /** @param payload the event as received, kept with a dead letter */
    public Applied apply(ChangeEvent e, byte[] payload) {
        return applyAll(List.of(new Incoming(e, payload))).get(0);
    }

    /**
     * Applies events in their order, sending the creates of consecutive new objects as batches (one
     * GeoFA statement per table). An object that comes twice ends the batch first, so each object's
     * events stay in order. Returns one outcome per event.
     */
    public List<Applied> applyAll(List<Incoming> events) {
        Applied[] results = new Applied[events.size()];
        Map<TableMapping, List<Integer>> creates = new LinkedHashMap<>();
        Set<String> batched = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent e = events.get(i).event();
            if (batched.contains(e.objectKey())) {
                createBatched(creates, events, results);
                batched.clear();
            }
            Optional<Applied> screened = screen(e, events.get(i).payload());
            if (screened.isPresent()) {
                results[i] = screened.get();
                continue;
            }
            TableMapping table = mapping.table(e.sourceTable()).orElseThrow();
            if (e.op() != Operation.DELETE && !writer.hasLink(table, e.rowKey()) && e.newValues().value(table.objektIdColumn()).isEmpty()) {
                creates.computeIfAbsent(table, t -> new ArrayList<>()).add(i);
                batched.add(e.objectKey());
            } else {
                results[i] = decide(e, table, events.get(i).payload());
            }
        }
        createBatched(creates, events, results);
        return Arrays.asList(results);
    }

    private void createBatched(Map<TableMapping, List<Integer>> creates, List<Incoming> events, Applied[] results) {
        for (Map.Entry<TableMapping, List<Integer>> batch : creates.entrySet()) {
            TableMapping table = batch.getKey();
            List<GeofaWriter.NewObject> objects = batch.getValue().stream()
                    .map(i -> new GeofaWriter.NewObject(events.get(i).event().rowKey(), events.get(i).event().newValues())).toList();
            Map<String, GeofaWriter.BatchResult> done = new LinkedHashMap<>();
            for (int from = 0; from < objects.size(); from += MAX_BATCH) {
                done.putAll(writer.createAll(table, objects.subList(from, Math.min(objects.size(), from + MAX_BATCH))));
            }
            // the replies must be safe before the events count as handled: send them together, wait once
            replies.sendAll(batch.getValue().stream().map(i -> events.get(i).event())
                    .filter(e -> done.get(e.rowKey()).created().isPresent())
                    .map(e -> new Reply(e.sourceTable(), e.rowKey(), done.get(e.rowKey()).created().get().objektId(),
                            done.get(e.rowKey()).created().get().versionsId()))
                    .toList());
            for (int i : batch.getValue()) {
                ChangeEvent e = events.get(i).event();
                GeofaWriter.BatchResult r = done.get(e.rowKey());
                if (r.created().isPresent()) {
                    results[i] = created(e, table, r.created().get());
                } else {
                    String message = r.refusal().orElseThrow();
                    results[i] = deadLetter(e, events.get(i).payload(), Optional.of(table),
                            RejectionReason.explain(message, table, GeofaValues.forCreate(table, e.newValues(), "")), Optional.of(message));
                }
            }
        }
        creates.clear();
    }

    /** Finishes what needs no GeoFA: a duplicate, an unmapped table, an object waiting behind a dead letter. */
    private Optional<Applied> screen(ChangeEvent e, byte[] payload) {
        if (inbox.receive(e)) {
            return Optional.of(Applied.DUPLICATE);
        }
        Optional<TableMapping> mapped = mapping.table(e.sourceTable());
        if (mapped.isEmpty()) {
            return Optional.of(deadLetter(e, payload, Optional.empty(), new RejectionReason(Optional.empty(),
                    "VK table " + e.sourceTable() + " is not in the mapping " + mapping.source()), Optional.empty()));
        }
        Optional<Long> blocking = deadLetters.openFor(e.sourceTable(), e.rowKey());
        if (blocking.isPresent()) {
            return Optional.of(deadLetter(e, payload, mapped, new RejectionReason(Optional.empty(), "waits behind dead letter #"
                    + blocking.get() + " of the same object; retry that one first"), Optional.empty()));
        }
        return Optional.empty();
    }

    private Applied decide(ChangeEvent e, TableMapping table, byte[] payload) {
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
