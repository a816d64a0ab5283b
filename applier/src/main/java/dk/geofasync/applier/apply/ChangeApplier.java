package dk.geofasync.applier.apply;

import dk.geofasync.applier.deadletter.DeadLetters;
import dk.geofasync.applier.deadletter.RejectionReason;
import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.applier.run.CurrentRun;
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
 * superseded: staff fix the row in VK and it syncs. When GeoFA goes out of reach part-way (or its
 * answers keep getting lost after they were settled in place a few times), what was finished stays
 * finished and the rest is {@link Applied#WAITING}, to be delivered again; rounds of errors GeoFA
 * does not explain are counted per event, so such an event is sent alone after a few and given up
 * to dead letters if GeoFA still fails on it alone.
 *
 * <p>An event is applied as state, not as a delta, when it may have reached GeoFA before (an
 * insert event of an object already linked, a replayed event, an event taken before but never
 * finished after a crash) and when an earlier event of its object is in dead letters. Then GeoFA is
 * asked which values differ, and only those are sent; nothing differs, no new version.
 */
public final class ChangeApplier {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeApplier.class);
    /** Tries of one event whose answers get lost, each applying it as state, before it waits for the next delivery. */
    private static final int LOST_ANSWER_ROUNDS = 3;

    private final Mapping mapping;
    private final DataSource vk;
    private final GeofaWriter writer;
    /** Which VK rows are linked to which GeoFA objects (the writer records GeoFA's answers in the same book). */
    private final ObjectLinks links;
    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final Ledger ledger;
    private final ReplySink replies;
    private final RowCheck rules = new RowCheck(FkgCatalogue.standard());
    /** The sensitive values the relay kept off the topic, read back from VK. */
    private final WithheldValues withheldValues;
    /** Why the last {@link #applyAll} left events {@link Applied#WAITING}, if it did. */
    private Optional<String> lastStop = Optional.empty();
    /** Objects per request, adapted to how fast GeoFA answers. */
    private final RequestSize requestSize;
    /** Per object ({@code table:key}) with open dead letters, the oldest; for the batch at hand. */
    private final Map<String, Long> waiting = new HashMap<>();

    public ChangeApplier(Mapping mapping, GeofaWriter writer, DataSource vk, ReplySink replies) {
        this(mapping, writer, vk, replies, new CurrentRun());
    }

    /** @param run the run what is applied is recorded under (sync.change_log and sync.inbox run_id) */
    public ChangeApplier(Mapping mapping, GeofaWriter writer, DataSource vk, ReplySink replies, CurrentRun run) {
        this.mapping = mapping;
        this.vk = vk;
        this.writer = writer;
        this.links = writer.links();
        this.inbox = new Inbox(vk);
        this.deadLetters = new DeadLetters(vk);
        this.ledger = new Ledger(vk, run);
        this.withheldValues = new WithheldValues(vk, mapping);
        this.requestSize = new RequestSize(writer.maxRowsPerRequest());
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
    public List<Applied> applyAll(List<Incoming> incoming) {
        lastStop = Optional.empty();
        List<Incoming> events = withheldValues.restore(incoming);
        long unclearBefore = writer.unknownOutcomes();
        Applied[] results = new Applied[events.size()];
        Inbox.Received received = inbox.receive(events);
        Set<Integer> superseded = supersededReplays(events);
        preload(events);
        Map<TableMapping, List<Integer>> creates = new LinkedHashMap<>();
        Map<UpdateGroup, List<Integer>> updates = new LinkedHashMap<>();
        Map<UpdateGroup, List<Integer>> states = new LinkedHashMap<>();
        Set<String> batched = new HashSet<>();
        Set<String> taken = new HashSet<>();
        try {
            for (int i = 0; i < events.size(); i++) {
                Incoming in = events.get(i);
                ChangeEvent e = in.event();
                // the same event twice in one poll (the relay sent a batch again after Kafka took it but VK lost the mark):
                // the inbox knew neither copy at the start
                boolean copy = in.replayedSince().isEmpty() && !taken.add(e.eventId());
                if (!copy && batched.contains(e.objectKey())) {
                    flush(creates, updates, states, events, results); // the object's earlier event goes first
                    batched.clear();
                }
                Optional<TableMapping> mapped = mapping.table(e.sourceTable());
                ApplyPlanner.Facts facts = facts(in, mapped, copy, received, superseded.contains(i));
                ApplyPlanner.Decision decision = ApplyPlanner.decide(facts);
                if (decision == ApplyPlanner.Decision.DROP_DUPLICATE) {
                    results[i] = Applied.DUPLICATE;
                    continue;
                }
                if (decision == ApplyPlanner.Decision.SKIP_SUPERSEDED_REPLAY) {
                    results[i] = finish(e, Applied.SKIPPED, InboxState.SKIPPED, null, "replayed: a later replayed event of the object carries its state",
                            List.of());
                    continue;
                }
                Optional<Applied> screened = screen(in);
                if (screened.isPresent()) {
                    results[i] = screened.get();
                    continue;
                }
                TableMapping table = mapped.orElseThrow();
                switch (decision) {
                    case CREATE_IN_BATCH -> {
                        Optional<RejectionReason> refused = breaksCatalogue(table, e, Optional.empty());
                        if (refused.isPresent()) {
                            results[i] = deadLetter(in, Optional.of(table), refused.get(), Optional.empty());
                        } else {
                            creates.computeIfAbsent(table, t -> new ArrayList<>()).add(i);
                            batched.add(e.objectKey());
                        }
                    }
                    case UPDATE_IN_BATCH -> {
                        Optional<RejectionReason> refused = breaksCatalogue(table, e, Optional.of(e.changedColumns()));
                        if (refused.isEmpty() && facts.link() == LinkState.NONE) {
                            refused = adopt(e, table); // an object made before geofa-sync, named by the row's objekt_id: linked in VK, no request
                        }
                        if (refused.isPresent()) {
                            results[i] = deadLetter(in, Optional.of(table), refused.get(), Optional.empty());
                        } else {
                            updates.computeIfAbsent(updateGroup(e, table), g -> new ArrayList<>()).add(i);
                            batched.add(e.objectKey());
                        }
                    }
                    case STATE_IN_BATCH -> {
                        // an object made before geofa-sync, named by the row's objekt_id: linked in VK, no request
                        Optional<RejectionReason> refused = facts.link() == LinkState.NONE ? adopt(e, table) : Optional.empty();
                        if (refused.isPresent()) {
                            results[i] = deadLetter(in, Optional.of(table), refused.get(), Optional.empty());
                        } else {
                            states.computeIfAbsent(stateGroup(e, table), g -> new ArrayList<>()).add(i);
                            batched.add(e.objectKey());
                        }
                    }
                    default -> {
                        ledger.awaitRecorded(); // its replies go at once: after those of the packs handed over, never before
                        results[i] = applyAlone(in, table, ApplyPlanner.asState(facts), facts.lastTry());
                        if (facts.behindLetter() && results[i] != Applied.DEAD_LETTERED) {
                            supersedeLetters(e);
                        }
                        ledger.commit();
                    }
                }
            }
            flush(creates, updates, states, events, results);
            ledger.commit();
        } catch (GeofaException.Unavailable | GeofaException.OutcomeUnknown stopped) {
            // GeoFA out of reach, throttling for minutes, or answers lost round after round: what was finished stays
            // finished (the consumer commits up to the first waiting event); the rest waits on Kafka
            ledger.commit();
            List<String> left = new ArrayList<>();
            for (int i = 0; i < results.length; i++) {
                if (results[i] == null) {
                    results[i] = Applied.WAITING;
                    String id = events.get(i).event().eventId();
                    if (!received.retried().contains(id)) { // one that came back after a crash may have reached GeoFA then
                        left.add(id);
                    }
                }
            }
            if (stopped instanceof GeofaException.Unavailable && writer.unknownOutcomes() == unclearBefore) {
                inbox.notApplied(left); // nothing of theirs can have reached GeoFA: next time they go in batches again
            }
            lastStop = Optional.of(stopped.getMessage());
            LOG.warn("{} of {} events wait for the next delivery: {}", Arrays.stream(results).filter(r -> r == Applied.WAITING).count(),
                    events.size(), stopped.getMessage());
        } catch (RuntimeException failed) {
            try {
                ledger.awaitRecorded(); // nothing of this poll is written behind the consumer's back once it sets the partitions back
            } catch (RuntimeException also) {
                failed.addSuppressed(also);
            }
            throw failed;
        } finally {
            writer.forget();
            waiting.clear();
        }
        return Arrays.asList(results);
    }

    /** How long the next GeoFA request would wait for the request budget: time to collect more events for it. */
    public java.time.Duration untilRequestSlot() {
        return writer.untilRequestSlot();
    }

    /** How many objects the next request takes (adapted to GeoFA's answer times). */
    public int objectsPerRequest() {
        return requestSize.current();
    }

    /** Why the last {@link #applyAll} left events waiting (GeoFA out of reach), if it did. */
    public Optional<String> lastStop() {
        return lastStop;
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
            mapping.table(table).ifPresent(t -> links.preload(t.table().toString(), keys));
            deadLetters.openFor(table, keys).forEach((key, letter) -> waiting.put(table + ":" + key, letter));
        });
    }

    /** Updates that set the same GeoFA columns of one table's objects: they go in one statement. */
    private record UpdateGroup(TableMapping table, Set<String> geofaColumns) {
    }

    /** Links the row to the GeoFA object its objekt_id column names; the reason when that is no objekt_id. */
    private Optional<RejectionReason> adopt(ChangeEvent e, TableMapping table) {
        try {
            adopt(table, e.rowKey(), uuid(table, e.newValues().value(table.objektIdColumn()).orElseThrow()));
            return Optional.empty();
        } catch (InvalidValueException bad) {
            return Optional.of(new RejectionReason(Optional.of(bad.vkColumn()), bad.getMessage()));
        }
    }

    /** The statement group of a plain update: the GeoFA columns it sets. */
    private static UpdateGroup updateGroup(ChangeEvent e, TableMapping table) {
        return new UpdateGroup(table, Set.copyOf(GeofaValues.forUpdate(table, e.newValues(), e.changedColumns()).keySet()));
    }

    /** The statement group of a state: the GeoFA columns of every mapped column the after-image holds. */
    private static UpdateGroup stateGroup(ChangeEvent e, TableMapping table) {
        return new UpdateGroup(table, Set.copyOf(GeofaValues.forUpdate(table, e.newValues(), Set.copyOf(table.syncedVkColumns())).keySet()));
    }

    /** What VK's bookkeeping knows of the event and its object, for the planner. */
    private ApplyPlanner.Facts facts(Incoming in, Optional<TableMapping> table, boolean copy, Inbox.Received received, boolean supersededReplay) {
        ChangeEvent e = in.event();
        LinkState link = table.flatMap(t -> links.find(t.table().toString(), e.rowKey())).map(ObjectLinks.Link::state).orElse(LinkState.NONE);
        boolean namesObjektId = table.map(t -> e.newValues().value(t.objektIdColumn()).isPresent()).orElse(false);
        boolean changesMapped = e.op() == Operation.UPDATE
                && table.map(t -> !GeofaValues.forUpdate(t, e.newValues(), e.changedColumns()).isEmpty()).orElse(false);
        return new ApplyPlanner.Facts(e.op(), received.handled().contains(e.eventId()), copy, in.replayedSince().isPresent(), supersededReplay,
                received.retried().contains(e.eventId()), received.failing().contains(e.eventId()), waiting.containsKey(e.objectKey()), link,
                namesObjektId, changesMapped);
    }

    /**
     * Sends the collected creates and updates, as few requests as the row limit allows: several
     * tables' creates and updates go in one request (one GeoFA transaction). Each request's
     * replies are sent and its events recorded before the next goes. States go after them: per pack
     * of up to the row limit, over all tables, one read and one request.
     */
    private void flush(Map<TableMapping, List<Integer>> creates, Map<UpdateGroup, List<Integer>> updates, Map<UpdateGroup, List<Integer>> states,
                       List<Incoming> events, Applied[] results) {
        int limit = requestSize.current();
        List<Pack> packs = new ArrayList<>();
        Pack open = new Pack();
        for (Map.Entry<TableMapping, List<Integer>> batch : creates.entrySet()) {
            for (int from = 0; from < batch.getValue().size(); ) {
                if (open.rows >= limit) {
                    packs.add(open);
                    open = new Pack();
                }
                int to = Math.min(batch.getValue().size(), from + limit - open.rows);
                open.creates.put(batch.getKey(), batch.getValue().subList(from, to));
                open.rows += to - from;
                from = to;
            }
        }
        for (Map.Entry<UpdateGroup, List<Integer>> batch : updates.entrySet()) {
            for (int from = 0; from < batch.getValue().size(); ) {
                if (open.rows >= limit) {
                    packs.add(open);
                    open = new Pack();
                }
                int to = Math.min(batch.getValue().size(), from + limit - open.rows);
                open.updates.put(batch.getKey(), batch.getValue().subList(from, to));
                open.rows += to - from;
                from = to;
            }
        }
        if (open.rows > 0) {
            packs.add(open);
        }
        creates.clear();
        updates.clear();
        for (Pack pack : packs) {
            write(pack, events, results);
        }
        List<Map<UpdateGroup, List<Integer>>> statePacks = new ArrayList<>();
        Map<UpdateGroup, List<Integer>> pack = new LinkedHashMap<>();
        int rows = 0;
        for (Map.Entry<UpdateGroup, List<Integer>> batch : states.entrySet()) {
            for (int from = 0; from < batch.getValue().size(); ) {
                if (rows >= limit) {
                    statePacks.add(pack);
                    pack = new LinkedHashMap<>();
                    rows = 0;
                }
                int to = Math.min(batch.getValue().size(), from + limit - rows);
                pack.put(batch.getKey(), batch.getValue().subList(from, to));
                rows += to - from;
                from = to;
            }
        }
        if (rows > 0) {
            statePacks.add(pack);
        }
        states.clear();
        for (Map<UpdateGroup, List<Integer>> statePack : statePacks) {
            writeStates(statePack, events, results);
        }
    }

    /**
     * Applies the states of linked objects (events that may have reached GeoFA before), of every
     * table in the pack, with one read and one request (see {@link GeofaWriter#applyStates}): what
     * GeoFA holds already makes no version, but its write_back values go to VK again. A statement
     * timeout shrinks the request size, as for creates and updates; the time of a state pack (a
     * read and a write) does not feed the size, which is tuned on single writes.
     */
    private void writeStates(Map<UpdateGroup, List<Integer>> pack, List<Incoming> events, Applied[] results) {
        List<GeofaWriter.UpdateBatch> batches = new ArrayList<>();
        pack.forEach((group, part) -> {
            TableMapping table = group.table();
            Set<String> columns = Set.copyOf(table.syncedVkColumns());
            List<GeofaWriter.PlannedUpdate> planned = new ArrayList<>();
            Map<String, ColumnValues> afterImages = new HashMap<>();
            Map<String, Set<String>> vkColumns = new HashMap<>();
            for (int i : part) {
                ChangeEvent e = events.get(i).event();
                planned.add(new GeofaWriter.PlannedUpdate(e.rowKey(), linkedObject(table, e.rowKey()).orElseThrow(),
                        GeofaValues.forUpdate(table, e.newValues(), columns)));
                afterImages.put(e.rowKey(), e.newValues());
                vkColumns.put(e.rowKey(), columns);
            }
            batches.add(new GeofaWriter.UpdateBatch(table, planned, afterImages, vkColumns));
        });
        // an insert of an object created earlier in this poll is recognised by its create on record (settleState)
        ledger.awaitRecorded();
        List<Map<String, GeofaWriter.StateResult>> done;
        try {
            done = writer.applyStates(batches);
        } catch (GeofaException.Unavailable u) {
            if (u.geofaError().map(RequestSize::statementTimeout).orElse(false)) {
                requestSize.timedOut(); // too much for one transaction in GeoFA's time, not these objects' fault
                throw u;
            }
            countFailure(u, pack.values().stream().flatMap(List::stream).map(i -> events.get(i).event().eventId()).toList());
            throw u;
        }
        List<Reply> toVk = new ArrayList<>();
        List<Runnable> letters = new ArrayList<>();
        int b = 0;
        for (List<Integer> part : pack.values()) {
            GeofaWriter.UpdateBatch batch = batches.get(b);
            Map<String, GeofaWriter.StateResult> answered = done.get(b++);
            for (int k = 0; k < part.size(); k++) {
                settleState(events.get(part.get(k)), part.get(k), batch.table(), batch.updates().get(k).objektId(), answered.get(batch.updates().get(k).key()),
                        results, toVk, letters);
            }
        }
        ledger.commitLater(() -> {
            if (!toVk.isEmpty()) {
                replies.sendAll(toVk);
            }
        });
        letters.forEach(Runnable::run);
    }

    /** Records what applying one object's state did, and the reply VK gets for it (an insert's again: a crash may have come before it). */
    private void settleState(Incoming in, int i, TableMapping table, UUID objektId, GeofaWriter.StateResult r, Applied[] results, List<Reply> toVk,
                             List<Runnable> letters) {
        ChangeEvent e = in.event();
        boolean insertWithoutId = e.op() == Operation.INSERT && e.newValues().value(table.objektIdColumn()).isEmpty();
        if (insertWithoutId && r.version().isEmpty()) {
            // the objekt_id goes to VK again whatever GeoFA says of the values: a crash may have come before its reply
            toVk.add(reply(e, linked(table, e.rowKey()).orElse(new GeofaWriter.Created(objektId, null, true))));
        }
        if (r.refusal().isPresent()) {
            letters.add(() -> results[i] = deadLetter(in, Optional.of(table),
                    RejectionReason.explain(r.refusal().get(), table, GeofaValues.forCreate(table, e.newValues(), "")), r.refusal()));
            return;
        }
        if (r.version().isEmpty()) { // no path of the writer answers so today: recorded, not guessed at
            results[i] = finish(e, Applied.SKIPPED, InboxState.SKIPPED, null, "GeoFA answered no version for the object's state", List.of());
            return;
        }
        GeofaWriter.Created now = new GeofaWriter.Created(objektId, r.version().get(), true);
        if (insertWithoutId) {
            toVk.add(reply(e, now));
        } else {
            updateReply(e, table, objektId, now.versionsId()).ifPresent(toVk::add);
        }
        // made by this event, found by look-up after a lost answer, and left waiting before it was recorded: it is this run's create
        if (insertWithoutId && !ChangeLog.hasCreate(vk, e.sourceTable(), e.rowKey(), objektId)) {
            results[i] = created(e, table, now);
        } else if (r.changed()) {
            results[i] = updated(e, table, objektId, now.versionsId(), Set.copyOf(table.syncedVkColumns()));
        } else {
            results[i] = finish(e, Applied.SKIPPED, InboxState.SKIPPED, null, "GeoFA already holds these values", List.of());
        }
    }

    /** One request's share of the collected work: per table the creates, per update group the updates (indexes into the events). */
    private static final class Pack {
        final Map<TableMapping, List<Integer>> creates = new LinkedHashMap<>();
        final Map<UpdateGroup, List<Integer>> updates = new LinkedHashMap<>();
        int rows;
    }

    private void write(Pack pack, List<Incoming> events, Applied[] results) {
        List<GeofaWriter.CreateBatch> creates = new ArrayList<>();
        pack.creates.forEach((table, part) -> creates.add(new GeofaWriter.CreateBatch(table, part.stream()
                .map(i -> new GeofaWriter.NewObject(events.get(i).event().rowKey(), events.get(i).event().newValues())).toList())));
        List<GeofaWriter.UpdateBatch> updates = new ArrayList<>();
        pack.updates.forEach((group, part) -> {
            List<GeofaWriter.PlannedUpdate> planned = new ArrayList<>();
            Map<String, ColumnValues> afterImages = new HashMap<>();
            Map<String, Set<String>> vkColumns = new HashMap<>();
            for (int i : part) {
                ChangeEvent e = events.get(i).event();
                planned.add(new GeofaWriter.PlannedUpdate(e.rowKey(), linkedObject(group.table(), e.rowKey()).orElseThrow(),
                        GeofaValues.forUpdate(group.table(), e.newValues(), e.changedColumns())));
                afterImages.put(e.rowKey(), e.newValues());
                vkColumns.put(e.rowKey(), e.changedColumns());
            }
            updates.add(new GeofaWriter.UpdateBatch(group.table(), planned, afterImages, vkColumns));
        });
        GeofaWriter.Written written;
        long started = System.nanoTime();
        boolean timedOut = false;
        try {
            written = writer.writeAll(creates, updates);
        } catch (GeofaException.Unavailable u) {
            if (u.geofaError().map(RequestSize::statementTimeout).orElse(false)) {
                timedOut = true;
                requestSize.timedOut(); // too much for one transaction in GeoFA's time, not these objects' fault
                throw u;
            }
            List<String> ids = new ArrayList<>();
            pack.creates.values().forEach(part -> part.forEach(i -> ids.add(events.get(i).event().eventId())));
            pack.updates.values().forEach(part -> part.forEach(i -> ids.add(events.get(i).event().eventId())));
            countFailure(u, ids);
            throw u;
        } finally {
            if (!timedOut) {
                requestSize.took(java.time.Duration.ofNanos(System.nanoTime() - started), pack.rows);
            }
        }
        // the replies must be safe before the events count as handled: sent together, waited for once, before the record is written
        List<Reply> toVk = new ArrayList<>();
        int b = 0;
        for (Map.Entry<TableMapping, List<Integer>> batch : pack.creates.entrySet()) {
            Map<String, GeofaWriter.BatchResult> done = written.created().get(b++);
            for (int i : batch.getValue()) {
                ChangeEvent e = events.get(i).event();
                done.get(e.rowKey()).created().ifPresent(c -> toVk.add(reply(e, c)));
            }
        }
        b = 0;
        for (Map.Entry<UpdateGroup, List<Integer>> batch : pack.updates.entrySet()) {
            Map<String, GeofaWriter.UpdateResult> done = written.updated().get(b);
            GeofaWriter.UpdateBatch sent = updates.get(b++);
            for (int k = 0; k < batch.getValue().size(); k++) {
                ChangeEvent e = events.get(batch.getValue().get(k)).event();
                UUID objektId = sent.updates().get(k).objektId();
                done.get(e.rowKey()).version().flatMap(v -> updateReply(e, batch.getKey().table(), objektId, v)).ifPresent(toVk::add);
            }
        }
        List<Runnable> letters = new ArrayList<>(); // filed after the replies are safe: a letter's commit records the ledger's events too
        b = 0;
        for (Map.Entry<TableMapping, List<Integer>> batch : pack.creates.entrySet()) {
            TableMapping table = batch.getKey();
            Map<String, GeofaWriter.BatchResult> done = written.created().get(b++);
            for (int i : batch.getValue()) {
                ChangeEvent e = events.get(i).event();
                GeofaWriter.BatchResult r = done.get(e.rowKey());
                if (r.created().isPresent()) {
                    results[i] = created(e, table, r.created().get());
                } else {
                    String message = r.refusal().orElseThrow();
                    letters.add(() -> results[i] = deadLetter(events.get(i), Optional.of(table),
                            RejectionReason.explain(message, table, GeofaValues.forCreate(table, e.newValues(), "")), Optional.of(message)));
                }
            }
        }
        b = 0;
        for (Map.Entry<UpdateGroup, List<Integer>> batch : pack.updates.entrySet()) {
            TableMapping table = batch.getKey().table();
            Map<String, GeofaWriter.UpdateResult> done = written.updated().get(b);
            GeofaWriter.UpdateBatch sent = updates.get(b++);
            for (int k = 0; k < batch.getValue().size(); k++) {
                int i = batch.getValue().get(k);
                ChangeEvent e = events.get(i).event();
                GeofaWriter.UpdateResult r = done.get(e.rowKey());
                if (r.refusal().isPresent()) {
                    letters.add(() -> results[i] = deadLetter(events.get(i), Optional.of(table),
                            RejectionReason.explain(r.refusal().get(), table, GeofaValues.forCreate(table, e.newValues(), "")), r.refusal()));
                } else if (r.version().isEmpty()) {
                    results[i] = finish(e, Applied.SKIPPED, InboxState.SKIPPED, null, "GeoFA already holds these values", List.of());
                } else {
                    results[i] = updated(e, table, sent.updates().get(k).objektId(), r.version().get(), e.changedColumns());
                }
            }
        }
        // VK's record is written while the next request is with GeoFA; applyAll waits for it before it reports the events handled
        ledger.commitLater(() -> {
            if (!toVk.isEmpty()) {
                replies.sendAll(toVk);
            }
        });
        letters.forEach(Runnable::run);
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

    /**
     * Applies one event on its own. A lost answer is settled in place: the event is applied again as
     * state (GeoFA is asked what differs, a create looked up by noegle), a bounded number of times.
     */
    private Applied applyAlone(Incoming in, TableMapping table, boolean asState, boolean lastTry) {
        for (int round = 1; ; round++) {
            try {
                return decideOnce(in, table, asState || round > 1, lastTry);
            } catch (GeofaException.OutcomeUnknown lost) {
                if (round >= LOST_ANSWER_ROUNDS) {
                    throw lost;
                }
                LOG.info("{} {}: {}; applying the event again as the object's state", in.event().sourceTable(), in.event().rowKey(), lost.getMessage());
            }
        }
    }

    private Applied decideOnce(Incoming in, TableMapping table, boolean asState, boolean lastTry) {
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
        if (in.replayedSince().isPresent() && links.find(table.table().toString(), key).map(ObjectLinks.Link::deleted).orElse(false)) {
            return finish(e, Applied.SKIPPED, InboxState.SKIPPED, null, "replayed: the object was deleted later", List.of());
        }
        Optional<GeofaWriter.Created> linked = linked(table, key);
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
            named.ifPresent(id -> adopt(table, key, id));
            objektId = named;
        }
        if (objektId.isEmpty()) {
            refuseIfBreaksCatalogue(table, e, Optional.empty());
            GeofaWriter.Created created = writer.create(table, key, e.newValues());
            replies.send(reply(e, created));
            return created(e, table, created);
        }
        boolean createUnrecorded = false;
        if (e.op() == Operation.INSERT && e.newValues().value(table.objektIdColumn()).isEmpty() && linked.isPresent()) {
            // created before, but its reply may not have reached VK (a crash between the two): send it again, it is idempotent
            replies.send(reply(e, linked.get()));
            // made by this event, found by look-up after a lost answer, and left waiting before it was recorded: it is this run's create
            createUnrecorded = !ChangeLog.hasCreate(vk, e.sourceTable(), key, linked.get().objektId());
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
            if (createUnrecorded) {
                return created(e, table, linked.get());
            }
            return finish(e, Applied.SKIPPED, InboxState.SKIPPED, null, state ? "GeoFA already holds these values" : null, List.of());
        }
        updateReply(e, table, objektId.get(), version.get()).ifPresent(replies::send);
        if (createUnrecorded) {
            return created(e, table, new GeofaWriter.Created(objektId.get(), version.get(), true));
        }
        return updated(e, table, objektId.get(), version.get(), columns);
    }

    private Applied updated(ChangeEvent e, TableMapping table, UUID objektId, UUID version, Set<String> columns) {
        return finish(e, Applied.UPDATED, InboxState.APPLIED, "{\"objekt_id\":\"" + objektId + "\",\"versions_id\":\"" + version + "\"}", null,
                ChangeLog.entries(e, table, Optional.of(objektId), GeofaValues.forUpdate(table, e.oldValues(), columns),
                        GeofaValues.forUpdate(table, e.newValues(), columns)));
    }

    private Applied created(ChangeEvent e, TableMapping table, GeofaWriter.Created created) {
        return finish(e, Applied.CREATED, InboxState.APPLIED, "{\"objekt_id\":\"" + created.objektId() + "\",\"versions_id\":\"" + created.versionsId() + "\"}",
                null, ChangeLog.entries(e, table, Optional.of(created.objektId()), Map.of(),
                        GeofaValues.forCreate(table, e.newValues(), new GeofaStatements(table).correlationKey(e.rowKey()))));
    }

    private Applied delete(ChangeEvent e, TableMapping table) {
        String key = e.rowKey();
        Optional<UUID> objektId = linkedObject(table, key)
                .or(() -> writer.resolvePending(table, key).map(GeofaWriter.Created::objektId))
                .or(() -> e.oldValues().value(table.objektIdColumn()).map(id -> uuid(table, id)));
        if (objektId.isEmpty()) {
            return finish(e, Applied.SKIPPED, InboxState.SKIPPED, null, "the object never reached GeoFA", List.of());
        }
        boolean closed = writer.delete(table, key, objektId.get());
        return finish(e, closed ? Applied.DELETED : Applied.SKIPPED, closed ? InboxState.APPLIED : InboxState.SKIPPED, "{\"objekt_id\":\"" + objektId.get() + "\"}",
                closed ? null : "already closed in GeoFA",
                closed ? ChangeLog.entries(e, table, objektId, Map.of("objekt_id", objektId.get()), Map.of()) : List.of());
    }

    private Applied finish(ChangeEvent e, Applied outcome, InboxState state, String result, String note, List<ChangeLog.Entry> changed) {
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
        Optional<UUID> objektId = table.flatMap(t -> linkedObject(t, e.rowKey()));
        long[] id = new long[1];
        ledger.finish(new Inbox.Finish(e.eventId(), InboxState.DEAD_LETTERED, null, reason.reason()), List.of());
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

    /** The GeoFA object VK row {@code key} is linked to, if it is. */
    private Optional<UUID> linkedObject(TableMapping table, String key) {
        return linked(table, key).map(GeofaWriter.Created::objektId);
    }

    /** The GeoFA object (and its last known version) VK row {@code key} is linked to, if it is. */
    private Optional<GeofaWriter.Created> linked(TableMapping table, String key) {
        return links.find(table.table().toString(), key).filter(ObjectLinks.Link::linked)
                .flatMap(l -> l.objektId().map(id -> new GeofaWriter.Created(id, l.versionsId().orElse(null), true)));
    }

    /** Links VK row {@code key} to an object it already names (its objekt_id column), e.g. one made before geofa-sync: no request. */
    private void adopt(TableMapping table, String key, UUID objektId) {
        links.linked(table.table().toString(), table.theme().name(),
                List.of(new ObjectLinks.NewLink(key, new GeofaStatements(table).correlationKey(key), objektId, null)));
    }

    private static UUID uuid(TableMapping table, String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(table.objektIdColumn(), table.objektIdColumn() + " '" + text + "' is not a UUID (GeoFA's objekt_id)");
        }
    }
}
