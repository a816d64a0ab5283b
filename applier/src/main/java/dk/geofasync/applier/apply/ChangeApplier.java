package dk.geofasync.applier.apply;

import dk.geofasync.applier.deadletter.DeadLetters;
import dk.geofasync.applier.deadletter.RejectionReason;
import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.applier.writeback.ReplySink;
import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.event.Operation;
import dk.geofasync.core.event.Reply;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * Applies change events to GeoFA: an object VK has not linked yet is created (and its objekt_id
 * sent back), a linked one gets its changed mapped columns, a delete closes it. Events already
 * handled are dropped (inbox), except when replayed on purpose. What GeoFA refuses, or what is
 * wrong before sending (the geometry, or a value the FKG catalogue's rules refuse: {@link RowCheck},
 * judged on what would be sent, without a request), goes to dead letters with the reason; other objects go on. A
 * later event of an object with an open letter is applied as the object's whole state (its
 * after-image holds what the failed event would have done), and when GeoFA takes it the letters are
 * superseded: staff fix the row in VK and it syncs. {@link GeofaException.Unavailable} and
 * {@link GeofaException.OutcomeUnknown} pass to the caller: the event was not finished and must be
 * delivered again; rounds of errors GeoFA does not explain are counted per event, so such an event
 * is sent alone after a few and given up to dead letters if GeoFA still fails on it alone.
 *
 * <p>An event is applied as state, not as a delta, when it may have reached GeoFA before (an
 * insert event of an object already linked, a replayed event, an event taken before but never
 * finished after a crash) and when an earlier event of its object is in dead letters. Then GeoFA is
 * asked which values differ, and only those are sent; nothing differs, no new version.
 */
public final class ChangeApplier {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeApplier.class);
    /** Objects per create or update statement: GeoFA documents no limit; a modest one keeps each transaction there short. */
    static final int MAX_BATCH = 250;

    private final Mapping mapping;
    private final GeofaWriter writer;
    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final Ledger ledger;
    private final ReplySink replies;
    private final RowCheck rules = new RowCheck(FkgCatalogue.standard());
    /** Per object ({@code table:key}) with open dead letters, the oldest; for the batch at hand. */
    private final Map<String, Long> waiting = new HashMap<>();

    public ChangeApplier(Mapping mapping, GeofaWriter writer, DataSource vk, ReplySink replies) {
        this.mapping = mapping;
        this.writer = writer;
        this.inbox = new Inbox(vk);
        this.deadLetters = new DeadLetters(vk);
        this.ledger = new Ledger(vk);
        this.replies = replies;
    }

    /**
     * An event as received: the parsed event, its bytes (kept with a dead letter), where it was
     * read, and, when it is replayed on purpose, when that replay was asked for.
     */
    public record Incoming(ChangeEvent event, byte[] payload, Optional<Origin> origin, Optional<OffsetDateTime> replayedSince) {
        public Incoming(ChangeEvent event, byte[] payload) {
            this(event, payload, Optional.empty(), Optional.empty());
        }
    }

    /** Where an event was read: topic, partition, offset (kept in the inbox). */
    public record Origin(String topic, int partition, long offset) {
    }

    /** @param payload the event as received, kept with a dead letter */
    public Applied apply(ChangeEvent e, byte[] payload) {
        return applyAll(List.of(new Incoming(e, payload))).get(0);
    }

    /**
     * Applies events in their order, sending the creates of consecutive new objects as batches (one
     * GeoFA statement per table). An object that comes twice ends the batch first, so each object's
     * events stay in order. VK's bookkeeping is read for the whole list at once and written once per
     * GeoFA statement. Returns one outcome per event.
     */
    public List<Applied> applyAll(List<Incoming> events) {
        Applied[] results = new Applied[events.size()];
        Inbox.Received received = inbox.receive(events);
        Set<Integer> superseded = supersededReplays(events);
        preload(events);
        Map<TableMapping, List<Integer>> creates = new LinkedHashMap<>();
        Map<UpdateGroup, List<Integer>> updates = new LinkedHashMap<>();
        Set<String> batched = new HashSet<>();
        Set<String> taken = new HashSet<>();
        try {
            for (int i = 0; i < events.size(); i++) {
                Incoming in = events.get(i);
                ChangeEvent e = in.event();
                // the same event twice in one poll (the relay sent a batch again after Kafka took it but VK lost the mark):
                // the inbox knew neither copy at the start, and the later copy may come after newer events of its object,
                // so applying it, as state, would take GeoFA back to an older state
                if (in.replayedSince().isEmpty() && !taken.add(e.eventId())) {
                    results[i] = Applied.DUPLICATE;
                    continue;
                }
                if (batched.contains(e.objectKey())) {
                    createBatched(creates, events, results);
                    updateBatched(updates, events, results);
                    batched.clear();
                }
                if (received.handled().contains(e.eventId())) {
                    results[i] = Applied.DUPLICATE;
                    continue;
                }
                if (superseded.contains(i)) {
                    results[i] = finish(e, Applied.SKIPPED, "skipped", null, "replayed: a later replayed event of the object carries its state", List.of());
                    continue;
                }
                Optional<Applied> screened = screen(in);
                if (screened.isPresent()) {
                    results[i] = screened.get();
                    continue;
                }
                TableMapping table = mapping.table(e.sourceTable()).orElseThrow();
                boolean behindLetter = waiting.containsKey(e.objectKey());
                // a new object; or one whose create was sent but not answered (found in GeoFA, or created, in the batch)
                boolean fresh = e.op() != Operation.DELETE && !writer.hasLink(table, e.rowKey());
                boolean resumed = e.op() == Operation.INSERT && writer.unlinked(table, e.rowKey());
                // GeoFA kept failing on its statement without saying why: this time it goes alone, so only its own data can fail it
                // (and it is given up only if GeoFA then still answers a trivial statement)
                boolean lastTry = received.failing().contains(e.eventId());
                if (!behindLetter && !lastTry && (fresh || resumed) && e.newValues().value(table.objektIdColumn()).isEmpty()) {
                    Optional<RejectionReason> refused = breaksCatalogue(table, e, Optional.empty());
                    if (refused.isPresent()) {
                        results[i] = deadLetter(in, Optional.of(table), refused.get(), Optional.empty());
                        continue;
                    }
                    creates.computeIfAbsent(table, t -> new ArrayList<>()).add(i);
                    batched.add(e.objectKey());
                    continue;
                }
                boolean asState = behindLetter || lastTry || in.replayedSince().isPresent() || received.retried().contains(e.eventId());
                Optional<UpdateGroup> plain = asState ? Optional.empty() : plainUpdate(e, table);
                Optional<RejectionReason> refused = plain.flatMap(p -> breaksCatalogue(table, e, Optional.of(e.changedColumns())));
                if (refused.isPresent()) {
                    results[i] = deadLetter(in, Optional.of(table), refused.get(), Optional.empty());
                } else if (plain.isPresent()) {
                    updates.computeIfAbsent(plain.get(), g -> new ArrayList<>()).add(i);
                    batched.add(e.objectKey());
                } else {
                    results[i] = decide(in, table, asState, lastTry);
                    if (behindLetter && results[i] != Applied.DEAD_LETTERED) {
                        supersedeLetters(e);
                    }
                    ledger.commit();
                }
            }
            createBatched(creates, events, results);
            updateBatched(updates, events, results);
            ledger.commit();
        } finally {
            writer.forget();
            waiting.clear();
        }
        return Arrays.asList(results);
    }

    /**
     * Replayed events followed by a later replayed event of the same object: as state, only the last
     * one matters, and applying the earlier ones would make GeoFA versions of states long gone.
     */
    private static Set<Integer> supersededReplays(List<Incoming> events) {
        Set<Integer> superseded = new HashSet<>();
        Set<String> later = new HashSet<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).replayedSince().isPresent() && !later.add(events.get(i).event().objectKey())) {
                superseded.add(i);
            }
        }
        return superseded;
    }

    private void preload(List<Incoming> events) {
        Map<String, List<String>> keysByTable = new LinkedHashMap<>();
        events.forEach(in -> keysByTable.computeIfAbsent(in.event().sourceTable(), t -> new ArrayList<>()).add(in.event().rowKey()));
        keysByTable.forEach((table, keys) -> {
            mapping.table(table).ifPresent(t -> writer.preload(t, keys));
            deadLetters.openFor(table, keys).forEach((key, letter) -> waiting.put(table + ":" + key, letter));
        });
    }

    private void createBatched(Map<TableMapping, List<Integer>> creates, List<Incoming> events, Applied[] results) {
        for (Map.Entry<TableMapping, List<Integer>> batch : creates.entrySet()) {
            TableMapping table = batch.getKey();
            for (int from = 0; from < batch.getValue().size(); from += MAX_BATCH) {
                List<Integer> part = batch.getValue().subList(from, Math.min(batch.getValue().size(), from + MAX_BATCH));
                Map<String, GeofaWriter.BatchResult> done;
                try {
                    done = writer.createAll(table, part.stream()
                            .map(i -> new GeofaWriter.NewObject(events.get(i).event().rowKey(), events.get(i).event().newValues())).toList());
                } catch (GeofaException.Unavailable u) {
                    countFailure(u, part.stream().map(i -> events.get(i).event().eventId()).toList());
                    throw u;
                }
                // the replies must be safe before the events count as handled: send them together, wait once
                replies.sendAll(part.stream().map(i -> events.get(i).event())
                        .filter(e -> done.get(e.rowKey()).created().isPresent())
                        .map(e -> reply(e, done.get(e.rowKey()).created().get()))
                        .toList());
                for (int i : part) {
                    ChangeEvent e = events.get(i).event();
                    GeofaWriter.BatchResult r = done.get(e.rowKey());
                    if (r.created().isPresent()) {
                        results[i] = created(e, table, r.created().get());
                    } else {
                        String message = r.refusal().orElseThrow();
                        results[i] = deadLetter(events.get(i), Optional.of(table),
                                RejectionReason.explain(message, table, GeofaValues.forCreate(table, e.newValues(), "")), Optional.of(message));
                    }
                }
                ledger.commit();
            }
        }
        creates.clear();
    }

    /** Updates that set the same GeoFA columns of one table's objects: they go in one statement. */
    private record UpdateGroup(TableMapping table, Set<String> geofaColumns) {
    }

    /** The group of an update that can go as a delta in a batch: a linked object, an update event, some mapped column changed. */
    private Optional<UpdateGroup> plainUpdate(ChangeEvent e, TableMapping table) {
        if (e.op() != Operation.UPDATE || writer.linked(table, e.rowKey()).isEmpty()) {
            return Optional.empty();
        }
        Set<String> columns = GeofaValues.forUpdate(table, e.newValues(), e.changedColumns()).keySet();
        return columns.isEmpty() ? Optional.empty() : Optional.of(new UpdateGroup(table, Set.copyOf(columns)));
    }

    private void updateBatched(Map<UpdateGroup, List<Integer>> updates, List<Incoming> events, Applied[] results) {
        for (Map.Entry<UpdateGroup, List<Integer>> batch : updates.entrySet()) {
            TableMapping table = batch.getKey().table();
            for (int from = 0; from < batch.getValue().size(); from += MAX_BATCH) {
                List<Integer> part = batch.getValue().subList(from, Math.min(batch.getValue().size(), from + MAX_BATCH));
                List<GeofaWriter.PlannedUpdate> planned = new ArrayList<>();
                Map<String, dk.geofasync.core.event.ColumnValues> afterImages = new HashMap<>();
                Map<String, Set<String>> vkColumns = new HashMap<>();
                for (int i : part) {
                    ChangeEvent e = events.get(i).event();
                    planned.add(new GeofaWriter.PlannedUpdate(e.rowKey(), writer.linkedObject(table, e.rowKey()).orElseThrow(),
                            GeofaValues.forUpdate(table, e.newValues(), e.changedColumns())));
                    afterImages.put(e.rowKey(), e.newValues());
                    vkColumns.put(e.rowKey(), e.changedColumns());
                }
                Map<String, GeofaWriter.UpdateResult> done;
                try {
                    done = writer.updateAll(table, planned, afterImages, vkColumns);
                } catch (GeofaException.Unavailable u) {
                    countFailure(u, part.stream().map(i -> events.get(i).event().eventId()).toList());
                    throw u;
                }
                // the new versions' write_back values go to VK before the events count as handled, as a create's objekt_id
                List<Reply> versioned = new ArrayList<>();
                for (int k = 0; k < part.size(); k++) {
                    ChangeEvent e = events.get(part.get(k)).event();
                    UUID objektId = planned.get(k).objektId();
                    done.get(e.rowKey()).version().flatMap(v -> updateReply(e, table, objektId, v)).ifPresent(versioned::add);
                }
                if (!versioned.isEmpty()) {
                    replies.sendAll(versioned);
                }
                for (int k = 0; k < part.size(); k++) {
                    int i = part.get(k);
                    ChangeEvent e = events.get(i).event();
                    GeofaWriter.UpdateResult r = done.get(e.rowKey());
                    UUID objektId = planned.get(k).objektId();
                    if (r.refusal().isPresent()) {
                        results[i] = deadLetter(events.get(i), Optional.of(table),
                                RejectionReason.explain(r.refusal().get(), table, GeofaValues.forCreate(table, e.newValues(), "")), r.refusal());
                    } else if (r.version().isEmpty()) {
                        results[i] = finish(e, Applied.SKIPPED, "skipped", null, "GeoFA already holds these values", List.of());
                    } else {
                        results[i] = updated(e, table, objektId, r.version().get(), e.changedColumns());
                    }
                }
                ledger.commit();
            }
        }
        updates.clear();
    }

    /**
     * The catalogue's rules that the values about to be sent break, as one reason naming the first
     * column (and the others' rules after it): a create's values ({@code updated} empty) or the
     * updated columns. Found here, a bad row costs no GeoFA request and holds no batch neighbour back.
     */
    private Optional<RejectionReason> breaksCatalogue(TableMapping table, ChangeEvent e, Optional<Set<String>> updated) {
        List<RejectionReason> broken = (updated.isPresent() ? rules.ofUpdate(table, e.newValues(), updated.get()) : rules.ofCreate(table, e.newValues()))
                .stream().map(RowCheck.Refusal::asRejection).toList();
        if (broken.isEmpty()) {
            return Optional.empty();
        }
        // one letter per event: the others ride along, so staff fix the row once, not once per letter
        String also = broken.size() == 1 ? "" : "; also " + broken.subList(1, broken.size()).stream().map(RejectionReason::reason)
                .collect(java.util.stream.Collectors.joining("; "));
        return Optional.of(new RejectionReason(broken.get(0).column(), broken.get(0).reason() + also));
    }

    /** For the single-event path: a value the catalogue refuses ends the event as a dead letter through {@link InvalidValueException}. */
    private void refuseIfBreaksCatalogue(TableMapping table, ChangeEvent e, Optional<Set<String>> updated) {
        Optional<RejectionReason> refused = breaksCatalogue(table, e, updated);
        if (refused.isPresent()) {
            throw new InvalidValueException(refused.get().column().orElseThrow(), refused.get().reason());
        }
    }

    /** Finishes what needs no GeoFA: an unmapped table, a geometry that cannot go. */
    private Optional<Applied> screen(Incoming in) {
        ChangeEvent e = in.event();
        Optional<TableMapping> mapped = mapping.table(e.sourceTable());
        if (mapped.isEmpty()) {
            return Optional.of(deadLetter(in, Optional.empty(), new RejectionReason(Optional.empty(),
                    "VK table " + e.sourceTable() + " is not in the mapping " + mapping.source()), Optional.empty()));
        }
        if (e.op() != Operation.DELETE) {
            Optional<RejectionReason> geometry = GeometryCheck.problem(mapped.get(), e.newValues());
            if (geometry.isPresent()) {
                return Optional.of(deadLetter(in, mapped, geometry.get(), Optional.empty()));
            }
        }
        return Optional.empty();
    }

    private Applied decide(Incoming in, TableMapping table, boolean asState, boolean lastTry) {
        ChangeEvent e = in.event();
        try {
            return e.op() == Operation.DELETE ? delete(e, table) : upsert(in, table, asState);
        } catch (GeofaException.Unavailable u) {
            // given up only when GeoFA answers other statements: a GeoFA that fails on everything is an outage, not this object's fault
            if (lastTry && u.geofaError().isPresent() && writer.geofaAnswers()) {
                String message = u.geofaError().get();
                return deadLetter(in, Optional.of(table), new RejectionReason(Optional.empty(), "GeoFA failed on this object in "
                        + (Inbox.ROUNDS_BEFORE_ALONE + 1) + " rounds, the last time sent alone, with an error it does not explain: "
                        + message.lines().findFirst().orElse(message)), Optional.of(message));
            }
            countFailure(u, List.of(e.eventId()));
            throw u;
        } catch (GeofaException.Rejected r) {
            RejectionReason reason = RejectionReason.explain(r.geofaMessage(), table, GeofaValues.forCreate(table, e.newValues(), ""));
            return deadLetter(in, Optional.of(table), reason, Optional.of(r.geofaMessage()));
        } catch (InvalidValueException bad) {
            // only the row's own values land here; any other exception is a fault of ours and stops the partition, not a staff ticket
            return deadLetter(in, Optional.of(table), new RejectionReason(Optional.of(bad.vkColumn()), bad.getMessage()), Optional.empty());
        }
    }

    private Applied upsert(Incoming in, TableMapping table, boolean asState) {
        ChangeEvent e = in.event();
        String key = e.rowKey();
        if (in.replayedSince().isPresent() && writer.deleted(table, key)) {
            return finish(e, Applied.SKIPPED, "skipped", null, "replayed: the object was deleted later", List.of());
        }
        Optional<GeofaWriter.Created> linked = writer.linked(table, key);
        if (linked.isEmpty()) {
            // a create of this row was sent but never answered (this event comes again): GeoFA may have it
            Optional<GeofaWriter.Created> resumed = writer.resolvePending(table, key);
            if (resumed.isPresent()) {
                replies.send(reply(e, resumed.get()));
                if (e.op() == Operation.INSERT) {
                    return created(e, table, resumed.get());
                }
                linked = resumed;
            }
        }
        Optional<UUID> objektId = linked.map(GeofaWriter.Created::objektId);
        if (objektId.isEmpty()) {
            Optional<UUID> named = e.newValues().value(table.objektIdColumn()).map(id -> uuid(table, id));
            named.ifPresent(id -> writer.adopt(table, key, id));
            objektId = named;
        }
        if (objektId.isEmpty()) {
            refuseIfBreaksCatalogue(table, e, Optional.empty());
            GeofaWriter.Created created = writer.create(table, key, e.newValues());
            replies.send(reply(e, created));
            return created(e, table, created);
        }
        if (e.op() == Operation.INSERT && e.newValues().value(table.objektIdColumn()).isEmpty() && linked.isPresent()) {
            // created before, but its reply may not have reached VK (a crash between the two): send it again, it is idempotent
            replies.send(reply(e, linked.get()));
        }
        // an insert event for a linked object (backfill --all, replay) carries state: every mapped column, compared with GeoFA
        boolean state = asState || e.op() == Operation.INSERT;
        Set<String> columns = state ? Set.copyOf(table.syncedVkColumns()) : e.changedColumns();
        if (!state) {
            // a state update sends only what GeoFA does not hold yet; what it holds already it took once, so GeoFA judges
            refuseIfBreaksCatalogue(table, e, Optional.of(columns));
        }
        Optional<UUID> version = state
                ? writer.updateDiffering(table, key, objektId.get(), e.newValues(), columns)
                : writer.update(table, key, objektId.get(), e.newValues(), columns);
        if (version.isEmpty()) {
            if (state && !table.writeBack().isEmpty()) {
                // the write_back values may never have reached VK (a crash after GeoFA took the update, a restore of VK):
                // GeoFA's current ones go again, so VK is right whenever a state event passes
                UUID id = objektId.get();
                writer.currentVersion(table, key, id).flatMap(v -> updateReply(e, table, id, v)).ifPresent(replies::send);
            }
            return finish(e, Applied.SKIPPED, "skipped", null, state ? "GeoFA already holds these values" : null, List.of());
        }
        updateReply(e, table, objektId.get(), version.get()).ifPresent(replies::send);
        return updated(e, table, objektId.get(), version.get(), columns);
    }

    private Applied updated(ChangeEvent e, TableMapping table, UUID objektId, UUID version, Set<String> columns) {
        return finish(e, Applied.UPDATED, "applied", "{\"objekt_id\":\"" + objektId + "\",\"versions_id\":\"" + version + "\"}", null,
                ChangeLog.entries(e, table, Optional.of(objektId), GeofaValues.forUpdate(table, e.oldValues(), columns),
                        GeofaValues.forUpdate(table, e.newValues(), columns)));
    }

    private Applied created(ChangeEvent e, TableMapping table, GeofaWriter.Created created) {
        return finish(e, Applied.CREATED, "applied", "{\"objekt_id\":\"" + created.objektId() + "\",\"versions_id\":\"" + created.versionsId() + "\"}",
                null, ChangeLog.entries(e, table, Optional.of(created.objektId()), Map.of(),
                        GeofaValues.forCreate(table, e.newValues(), new GeofaStatements(table).correlationKey(e.rowKey()))));
    }

    private Applied delete(ChangeEvent e, TableMapping table) {
        String key = e.rowKey();
        Optional<UUID> objektId = writer.linkedObject(table, key)
                .or(() -> writer.resolvePending(table, key).map(GeofaWriter.Created::objektId))
                .or(() -> e.oldValues().value(table.objektIdColumn()).map(id -> uuid(table, id)));
        if (objektId.isEmpty()) {
            return finish(e, Applied.SKIPPED, "skipped", null, "the object never reached GeoFA", List.of());
        }
        boolean closed = writer.delete(table, key, objektId.get());
        return finish(e, closed ? Applied.DELETED : Applied.SKIPPED, closed ? "applied" : "skipped", "{\"objekt_id\":\"" + objektId.get() + "\"}",
                closed ? null : "already closed in GeoFA",
                closed ? ChangeLog.entries(e, table, objektId, Map.of("objekt_id", objektId.get()), Map.of()) : List.of());
    }

    private Applied finish(ChangeEvent e, Applied outcome, String state, String result, String note, List<ChangeLog.Entry> changed) {
        ledger.finish(new Inbox.Finish(e.eventId(), state, result, note), changed);
        return outcome;
    }

    /** Counts the round against the statement's events when GeoFA failed without saying why (not when it throttled or was away). */
    private void countFailure(GeofaException.Unavailable u, List<String> eventIds) {
        if (u.geofaError().isPresent()) {
            inbox.geofaFailed(eventIds);
        }
    }

    /** Closes the object's open letters with the event's outcome (noted in the ledger, not yet committed): one transaction. */
    private void supersedeLetters(ChangeEvent e) {
        List<Long> closed = new ArrayList<>();
        ledger.commit(c -> closed.addAll(deadLetters.supersede(c, e.sourceTable(), e.rowKey())));
        waiting.remove(e.objectKey());
        LOG.info("{} {}: event {} was applied as the object's state; dead letter(s) {} superseded", e.sourceTable(), e.rowKey(), e.eventId(),
                closed.stream().map(id -> "#" + id).toList());
    }

    private Applied deadLetter(Incoming in, Optional<TableMapping> table, RejectionReason reason, Optional<String> geofaMessage) {
        ChangeEvent e = in.event();
        Optional<UUID> objektId = table.flatMap(t -> writer.linkedObject(t, e.rowKey()));
        long[] id = new long[1];
        ledger.finish(new Inbox.Finish(e.eventId(), "dead_lettered", null, reason.reason()), List.of());
        // the letter and the event's end commit together: a crash between them would file the letter twice
        ledger.commit(c -> id[0] = deadLetters.add(c, e, table.map(t -> t.theme().name()), objektId, reason, geofaMessage, in.payload()));
        waiting.putIfAbsent(e.objectKey(), id[0]);
        LOG.error("dead letter #{}: {} {}{}: {}", id[0], e.sourceTable(), e.rowKey(), reason.column().map(c -> ", column " + c).orElse(""), reason.reason());
        return Applied.DEAD_LETTERED;
    }

    private Reply reply(ChangeEvent e, GeofaWriter.Created created) {
        ColumnValues writtenBack = mapping.table(e.sourceTable()).map(t -> writer.writeBackValues(t, e.rowKey())).orElse(ColumnValues.none());
        return new Reply(e.sourceTable(), e.rowKey(), created.objektId(), created.versionsId(), writtenBack);
    }

    /** The reply that refreshes a table's write_back columns in VK after an update; none when the table writes nothing back. */
    private Optional<Reply> updateReply(ChangeEvent e, TableMapping table, UUID objektId, UUID version) {
        return table.writeBack().isEmpty() ? Optional.empty()
                : Optional.of(new Reply(e.sourceTable(), e.rowKey(), objektId, version, writer.writeBackValues(table, e.rowKey())));
    }

    private static UUID uuid(TableMapping table, String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(table.objektIdColumn(), table.objektIdColumn() + " '" + text + "' is not a UUID (GeoFA's objekt_id)");
        }
    }
}
