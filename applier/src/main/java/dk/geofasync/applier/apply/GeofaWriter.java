package dk.geofasync.applier.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.applier.geofa.SqlResult;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.mapping.TableMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
 * Speaks GeoFA's protocol for the applier: sends creates, updates and deletes (alone or packed in
 * one request), isolates refused rows, and settles lost answers by looking up or comparing with
 * GeoFA; what GeoFA answered (new objects, versions, closed objects) it records in the link book
 * ({@link ObjectLinks}) as part of that protocol. Which events to send, and how, the applier
 * decides ({@link ApplyPlanner}); it reads the links itself.
 *
 * <p>A create is never sent twice blindly. Before it is sent, the intent is committed in
 * {@code sync.object_link} and the row's correlation key travels in GeoFA's {@code noegle}. When
 * the answer is lost (timeout, dropped connection, gateway error), or when a restart finds an
 * intent without an answer, the writer looks the key up in GeoFA and links what it finds; only
 * when GeoFA has no such object is the create sent again. A request GeoFA was still working on when
 * the client gave up may commit after that look (its statements are bounded by GC2's statement
 * timeout, but neither its wait in GC2's queue nor its commit is, so no waiting time is long
 * enough); so every create request takes GeoFA's advisory locks of its keys first and creates only
 * the objects GeoFA has none of by noegle ({@link GeofaStatements#insert}), and every look-up of a
 * pending create takes the same locks: a create sent again, or a look-up, waits for one still
 * running in GeoFA's database and then sees what it made.
 */
public final class GeofaWriter {

    private static final Logger LOG = LoggerFactory.getLogger(GeofaWriter.class);
    /** Rounds of sending and looking up a statement whose answers keep getting lost, before the events wait for the next delivery. */
    private static final int LOST_ANSWER_ROUNDS = 3;

    /** The object a create made or found. */
    public record Created(UUID objektId, UUID versionsId, boolean foundExisting) {
    }

    /** A VK row to create: its key and after-image. */
    public record NewObject(String key, ColumnValues afterImage) {
    }

    /** What a batched create did for one row: made or found it, or GeoFA refused its values. */
    public record BatchResult(Optional<Created> created, Optional<String> refusal) {
        static BatchResult of(Created c) {
            return new BatchResult(Optional.of(c), Optional.empty());
        }

        static BatchResult refused(String geofaMessage) {
            return new BatchResult(Optional.empty(), Optional.of(geofaMessage));
        }
    }

    /**
     * Creates many objects of one table in one GeoFA statement (one transaction there). When GeoFA
     * refuses the batch, it is split in halves until the refused rows stand alone, so their
     * neighbours still go through. Lost answers are resolved by looking the correlation keys up, as
     * for a single create.
     *
     * @return per key, in the order given
     */
    public Map<String, BatchResult> createAll(TableMapping table, List<NewObject> objects) {
        return createAll(table, objects, 1);
    }

    /** @param round how many times these objects' creates were sent without an answer, plus one */
    private Map<String, BatchResult> createAll(TableMapping table, List<NewObject> objects, int round) {
        Map<String, BatchResult> results = new LinkedHashMap<>();
        if (objects.isEmpty()) {
            return results;
        }
        String source = table.table().toString();
        List<NewObject> pending = objects.stream().filter(o -> links.find(source, o.key()).map(ObjectLinks.Link::createPending).orElse(false)).toList();
        if (!pending.isEmpty()) {
            // creates sent before a crash or a lost answer: GeoFA may have made them; one lookup for all, then send
            // the rest again (the create statement itself makes nothing twice, also when the first is still running)
            Map<String, Created> found = new LinkedHashMap<>(lookupAll(table, pending.stream().map(NewObject::key).toList()));
            if (!found.isEmpty()) {
                LOG.info("{}: found {} of {} objects that earlier, unanswered creates made", source, found.size(), pending.size());
            }
            List<NewObject> rest = new ArrayList<>();
            for (NewObject o : objects) {
                if (found.containsKey(o.key())) {
                    results.put(o.key(), BatchResult.of(found.get(o.key())));
                } else {
                    rest.add(o);
                }
            }
            results.putAll(createNew(table, rest, round));
            Map<String, BatchResult> ordered = new LinkedHashMap<>();
            objects.forEach(o -> ordered.put(o.key(), results.get(o.key())));
            return ordered;
        }
        return createNew(table, objects, round);
    }

    private Map<String, BatchResult> createNew(TableMapping table, List<NewObject> objects, int round) {
        Map<String, BatchResult> results = new LinkedHashMap<>();
        if (objects.isEmpty()) {
            return results;
        }
        if (objects.size() == 1) {
            NewObject only = objects.get(0);
            try {
                results.put(only.key(), BatchResult.of(create(table, only.key(), only.afterImage())));
            } catch (GeofaException.Rejected r) {
                results.put(only.key(), BatchResult.refused(r.geofaMessage()));
            }
            return results;
        }
        String source = table.table().toString();
        Map<String, String> correlationKeys = correlationKeys(table, objects);
        List<JsonNode> made;
        try {
            // the intent is on record, stamped with the time the request really leaves, before GeoFA can act on it
            made = client.executeAll(List.of(lockCreates(table, correlationKeys.values()), createStatement(table, objects)),
                    () -> links.intendCreates(source, table.theme().name(), correlationKeys)).get(1).data();
        } catch (GeofaException.Rejected r) {
            links.withdrawIntents(source, correlationKeys.keySet()); // a refused batch made nothing; its halves announce themselves
            int half = objects.size() / 2;
            results.putAll(createNew(table, objects.subList(0, half), round));
            results.putAll(createNew(table, objects.subList(half, objects.size()), round));
            return results;
        } catch (GeofaException.Unavailable | GeofaException.LoginFailed e) {
            links.withdrawIntents(source, correlationKeys.keySet());
            throw e;
        } catch (GeofaException.OutcomeUnknown e) {
            // the whole batch is one transaction in GeoFA: either every object is there, or none; one look-up tells
            if (round >= LOST_ANSWER_ROUNDS) {
                throw e;
            }
            LOG.info("{}: the answer to {} creates was lost ({}); looking them up by noegle", source, objects.size(), e.getMessage());
            results.putAll(createAll(table, objects, round + 1));
            return results;
        }
        // GeoFA committed: what fails from here on (a look-up, the derived columns) leaves the intents of what is not linked yet standing
        results.putAll(linkCreated(table, objects, made));
        return results;
    }

    private static Map<String, String> correlationKeys(TableMapping table, List<NewObject> objects) {
        GeofaStatements statements = new GeofaStatements(table);
        Map<String, String> keys = new LinkedHashMap<>();
        objects.forEach(o -> keys.put(o.key(), statements.correlationKey(o.key())));
        return keys;
    }

    /** The create of {@code objects}: one statement, their values as one JSON parameter. */
    static GeofaClient.Statement createStatement(TableMapping table, List<NewObject> objects) {
        if (objects.stream().map(NewObject::key).distinct().count() < objects.size()) {
            // both rows would pass the statement's existence check (it does not see its own rows): two objects
            throw new IllegalArgumentException(table.table() + ": one create statement must not carry a row twice");
        }
        GeofaStatements statements = new GeofaStatements(table);
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (NewObject o : objects) {
            var row = rows.addObject();
            GeofaValues.forCreate(table, o.afterImage(), statements.correlationKey(o.key()))
                    .forEach((column, value) -> row.put(column, value == null ? null : value.toString()));
        }
        return new GeofaClient.Statement(statements.insert(), List.of(Map.of("rows", rows.toString())));
    }

    /** The first statement of every request that creates: GeoFA's locks of these correlation keys until it commits. */
    static GeofaClient.Statement lockCreates(TableMapping table, Collection<String> correlationKeys) {
        ArrayNode noegler = JsonNodeFactory.instance.arrayNode();
        correlationKeys.forEach(noegler::add);
        return new GeofaClient.Statement(GeofaStatements.lockCreates(), List.of(new GeofaStatements(table).lockParams(noegler.toString())));
    }

    private List<Map<String, Object>> updateParams(TableMapping table, List<PlannedUpdate> updates) {
        List<Map<String, Object>> params = new ArrayList<>();
        for (PlannedUpdate u : updates) {
            Map<String, Object> p = new LinkedHashMap<>(u.values());
            p.putAll(GeofaStatements.updateTarget(u.objektId(), knownVersion(table, u.key(), u.objektId())));
            params.add(p);
        }
        return params;
    }

    /** The version of object {@code objektId} this sync last made or saw, if the link knows it. */
    private Optional<UUID> knownVersion(TableMapping table, String key, UUID objektId) {
        return links.find(table.table().toString(), key).filter(l -> l.objektId().equals(Optional.of(objektId))).flatMap(ObjectLinks.Link::versionsId);
    }

    /**
     * Links the objects a create statement made ({@code rows}: its RETURNING rows, each with its
     * noegle). An object it did not make already existed in GeoFA (an earlier create of it committed
     * after all): that one is looked up and linked.
     */
    private Map<String, BatchResult> linkCreated(TableMapping table, List<NewObject> objects, List<JsonNode> rows) {
        GeofaStatements statements = new GeofaStatements(table);
        Map<String, JsonNode> byNoegle = new LinkedHashMap<>();
        rows.forEach(r -> byNoegle.put(r.get(GeofaStatements.NOEGLE).asText(), r));
        Map<String, BatchResult> results = new LinkedHashMap<>();
        List<ObjectLinks.NewLink> made = new ArrayList<>();
        Map<UUID, String> written = new LinkedHashMap<>();
        List<String> existed = new ArrayList<>();
        for (NewObject o : objects) {
            JsonNode row = byNoegle.get(statements.correlationKey(o.key()));
            if (row == null) {
                existed.add(o.key());
                continue;
            }
            Created c = new Created(UUID.fromString(row.get("objekt_id").asText()), UUID.fromString(row.get("versions_id").asText()), false);
            made.add(new ObjectLinks.NewLink(o.key(), statements.correlationKey(o.key()), c.objektId(), c.versionsId()));
            results.put(o.key(), BatchResult.of(c));
            writeBack.take(table, o.key(), row);
            written.put(c.objektId(), o.key());
        }
        links.linked(table.table().toString(), table.theme().name(), made);
        writeBack.readDerived(table, written);
        if (!existed.isEmpty()) {
            Map<String, Created> found = lookupAll(table, existed);
            LOG.info("{}: {} of {} objects existed in GeoFA already (an earlier create of them committed after its answer was lost); linked to them",
                    table.table(), existed.size(), objects.size());
            for (String key : existed) {
                Created c = found.get(key);
                // not a passing state: sending it again would meet the same object; a person looks (dead letter)
                results.put(key, c != null ? BatchResult.of(c) : BatchResult.refused("GeoFA has a current object with noegle "
                        + statements.correlationKey(key) + " of this municipality, so it made no second one, but the look-up by noegle does not"
                        + " return it (GeoFA's read rules, or it was closed meanwhile)"));
            }
        }
        Map<String, BatchResult> ordered = new LinkedHashMap<>();
        objects.forEach(o -> ordered.put(o.key(), results.get(o.key())));
        return ordered;
    }

    /** Records the new versions an update statement made ({@code rows}: its RETURNING rows, in the updates' order). */
    private Map<String, UpdateResult> takeUpdated(TableMapping table, List<PlannedUpdate> updates, List<JsonNode> rows) {
        Map<String, UpdateResult> results = new LinkedHashMap<>();
        Map<String, UUID> versions = new LinkedHashMap<>();
        Map<UUID, String> written = new LinkedHashMap<>();
        for (int i = 0; i < updates.size(); i++) {
            UUID version = UUID.fromString(rows.get(i).get("versions_id").asText());
            versions.put(updates.get(i).key(), version);
            results.put(updates.get(i).key(), new UpdateResult(Optional.of(version), Optional.empty()));
            writeBack.take(table, updates.get(i).key(), rows.get(i));
            written.put(updates.get(i).objektId(), updates.get(i).key());
        }
        links.versioned(table.table().toString(), versions);
        writeBack.readDerived(table, written);
        return results;
    }

    /** One table's creates for a packed request. */
    public record CreateBatch(TableMapping table, List<NewObject> objects) {
    }

    /** Updates of one table that set the same GeoFA columns, for a packed request; after-images and changed VK columns settle a lost answer. */
    public record UpdateBatch(TableMapping table, List<PlannedUpdate> updates, Map<String, ColumnValues> afterImages,
                              Map<String, Set<String>> vkColumns) {
    }

    /** What a packed request did: per batch, in the order given, per VK row. */
    public record Written(List<Map<String, BatchResult>> created, List<Map<String, UpdateResult>> updated) {
    }

    /**
     * Sends creates and updates of several tables as ONE request (GC2 runs an array of statements
     * in one transaction), so a poll's work costs one request of the budget, not one per table.
     * When GeoFA refuses it, each batch goes on its own (and is split there until the refused rows
     * stand alone); when the answer is lost, the creates are looked up by noegle and the updates'
     * versions read, one request per batch, as for a batch sent alone.
     */
    public Written writeAll(List<CreateBatch> creates, List<UpdateBatch> updates) {
        // creates sent before without an answer resolve by look-up first: on their own
        List<Integer> packedCreates = new ArrayList<>();
        Map<Integer, Map<String, BatchResult>> created = new LinkedHashMap<>();
        for (int b = 0; b < creates.size(); b++) {
            CreateBatch batch = creates.get(b);
            String source = batch.table().table().toString();
            boolean otherMunicipality = !packedCreates.isEmpty() && !new GeofaStatements(batch.table()).cvrKode()
                    .equals(new GeofaStatements(creates.get(packedCreates.get(0)).table()).cvrKode());
            if (otherMunicipality || batch.objects().stream().anyMatch(o -> links.find(source, o.key()).map(ObjectLinks.Link::createPending).orElse(false))) {
                // a table of another cvr_kode has locks of its own (those its look-ups wait for): its own request
                created.put(b, createAll(batch.table(), batch.objects()));
            } else {
                packedCreates.add(b);
            }
        }
        List<Map<String, UpdateResult>> updated = new ArrayList<>();
        if (packedCreates.size() + updates.size() <= 1) {
            packedCreates.forEach(b -> created.put(b, createNew(creates.get(b).table(), creates.get(b).objects(), 1)));
            updates.forEach(u -> updated.add(updateAll(u.table(), u.updates(), u.afterImages(), u.vkColumns())));
            return new Written(inOrder(created, creates.size()), updated);
        }
        List<GeofaClient.Statement> statements = new ArrayList<>();
        int first = packedCreates.isEmpty() ? 0 : 1;
        if (!packedCreates.isEmpty()) {
            // one lock statement for the creates of all tables (packed only with the first table's cvr_kode, which keys them)
            statements.add(lockCreates(creates.get(packedCreates.get(0)).table(),
                    packedCreates.stream().flatMap(b -> correlationKeys(creates.get(b).table(), creates.get(b).objects()).values().stream()).toList()));
        }
        for (int b : packedCreates) {
            CreateBatch batch = creates.get(b);
            statements.add(createStatement(batch.table(), batch.objects()));
        }
        for (UpdateBatch batch : updates) {
            statements.add(new GeofaClient.Statement(new GeofaStatements(batch.table()).update(batch.updates().get(0).values().keySet()),
                    updateParams(batch.table(), batch.updates())));
        }
        List<SqlResult> results;
        try {
            results = client.executeAll(statements, () -> packedCreates.forEach(b -> links.intendCreates(
                    creates.get(b).table().table().toString(), creates.get(b).table().theme().name(),
                    correlationKeys(creates.get(b).table(), creates.get(b).objects()))));
        } catch (GeofaException.Rejected r) {
            // one row somewhere refused the whole transaction: each batch alone, split there until the refused rows stand alone
            LOG.info("GeoFA refused a request of {} statements ({}); sending each on its own", statements.size(),
                    r.geofaMessage().lines().findFirst().orElse(""));
            for (int b : packedCreates) {
                CreateBatch batch = creates.get(b);
                links.withdrawIntents(batch.table().table().toString(), correlationKeys(batch.table(), batch.objects()).keySet());
                created.put(b, createNew(batch.table(), batch.objects(), 1));
            }
            updates.forEach(u -> updated.add(updateAll(u.table(), u.updates(), u.afterImages(), u.vkColumns())));
            return new Written(inOrder(created, creates.size()), updated);
        } catch (GeofaException.Unavailable | GeofaException.LoginFailed e) {
            for (int b : packedCreates) {
                CreateBatch batch = creates.get(b);
                links.withdrawIntents(batch.table().table().toString(), correlationKeys(batch.table(), batch.objects()).keySet());
            }
            throw e;
        } catch (GeofaException.OutcomeUnknown e) {
            LOG.info("the answer to a request of {} statements was lost ({}); looking up what it did", statements.size(), e.getMessage());
            packedCreates.forEach(b -> created.put(b, createAll(creates.get(b).table(), creates.get(b).objects(), 2)));
            updates.forEach(u -> updated.add(resolveLostUpdates(u.table(), u.updates(), u.afterImages(), u.vkColumns(), 1)));
            return new Written(inOrder(created, creates.size()), updated);
        }
        // GeoFA committed: what fails from here on (a look-up, the derived columns) neither withdraws intents nor sends anything again
        for (int k = 0; k < packedCreates.size(); k++) {
            CreateBatch batch = creates.get(packedCreates.get(k));
            created.put(packedCreates.get(k), linkCreated(batch.table(), batch.objects(), results.get(first + k).data()));
        }
        for (int k = 0; k < updates.size(); k++) {
            UpdateBatch batch = updates.get(k);
            updated.add(takeUpdated(batch.table(), batch.updates(), results.get(first + packedCreates.size() + k).data()));
        }
        return new Written(inOrder(created, creates.size()), updated);
    }

    private static List<Map<String, BatchResult>> inOrder(Map<Integer, Map<String, BatchResult>> byBatch, int batches) {
        List<Map<String, BatchResult>> ordered = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            ordered.add(byBatch.get(b));
        }
        return ordered;
    }

    private final GeofaClient client;
    private final ObjectLinks links;
    /** GeoFA's values of the write_back columns, from this batch's statements, for the replies. */
    private final WriteBackValues writeBack;

    public GeofaWriter(GeofaClient client, DataSource vk) {
        this.client = client;
        this.links = new ObjectLinks(vk);
        this.writeBack = new WriteBackValues(client);
    }

    /** How many requests so far may have been applied without this process knowing: a change means some outcome is unclear. */
    long unknownOutcomes() {
        return client.unknownOutcomes();
    }

    /** Objects (parameter sets) one request may carry, over all its statements. */
    public int maxRowsPerRequest() {
        return client.settings().maxRowsPerRequest();
    }

    /** How long a request now would wait for the request budget (takes no slot). */
    public Duration untilRequestSlot() {
        return client.budget().untilSlot();
    }

    /**
     * Creates the object of VK row {@code key} from its after-image and links it.
     *
     * @throws GeofaException.Rejected GeoFA refused the values (nothing created; for dead letters), or holds the object but its
     *     look-up cannot see it (the intent stays standing)
     */
    public Created create(TableMapping table, String key, ColumnValues afterImage) {
        GeofaStatements statements = new GeofaStatements(table);
        String source = table.table().toString();
        String noegle = statements.correlationKey(key);
        Optional<ObjectLinks.Link> link = links.find(source, key);
        if (link.map(ObjectLinks.Link::createPending).orElse(false)) {
            Optional<Created> earlier = lookup(table, key);
            if (earlier.isPresent()) {
                LOG.info("{} {}: found the object an earlier, unanswered create made ({})", source, key, earlier.get().objektId());
                return earlier.get();
            }
        }
        List<NewObject> only = List.of(new NewObject(key, afterImage));
        for (int attempt = 1; ; attempt++) {
            List<JsonNode> rows;
            try {
                rows = client.executeAll(List.of(lockCreates(table, List.of(noegle)), createStatement(table, only)),
                        () -> links.intendCreates(source, table.theme().name(), Map.of(key, noegle))).get(1).data();
            } catch (GeofaException.Rejected | GeofaException.Unavailable | GeofaException.LoginFailed e) {
                links.withdrawIntents(source, List.of(key)); // GeoFA certainly made nothing: no later look-up need wait for it
                throw e;
            } catch (GeofaException.OutcomeUnknown e) {
                Optional<Created> found = lookup(table, key);
                if (found.isPresent()) {
                    LOG.info("{} {}: the create's answer was lost ({}); GeoFA has it as {}", source, key, e.getMessage(), found.get().objektId());
                    return found.get();
                }
                if (attempt >= LOST_ANSWER_ROUNDS) {
                    throw e;
                }
                LOG.info("{} {}: the create's answer was lost and GeoFA has no object {}: sending it again", source, key, noegle);
                continue;
            }
            // GeoFA committed: a failure from here on leaves the intent standing for a later look-up
            BatchResult made = linkCreated(table, only, rows).get(key);
            if (made.created().isEmpty()) {
                throw GeofaException.Rejected.of(made.refusal().orElseThrow());
            }
            return made.created().get();
        }
    }

    /**
     * The object of a create whose answer never came (the row's link is create_pending), when GeoFA
     * has it; linked on the way. Empty when no create is pending or GeoFA has no such object.
     */
    public Optional<Created> resolvePending(TableMapping table, String key) {
        Optional<ObjectLinks.Link> link = links.find(table.table().toString(), key);
        if (!link.map(ObjectLinks.Link::createPending).orElse(false)) {
            return Optional.empty();
        }
        return lookup(table, key);
    }

    /** Forgets the links and write_back values read or written so far (between batches another process may change them). */
    public void forget() {
        links.forget();
        writeBack.forget();
    }

    /**
     * The links of VK rows to GeoFA objects the writer records what GeoFA answered in (create
     * intents, new objects and versions, closed objects), read through the same cache by the applier.
     */
    ObjectLinks links() {
        return links;
    }

    /**
     * GeoFA's current version of an object, its write_back columns taken for VK row {@code key}; empty when
     * GeoFA has no current version of it.
     */
    public Optional<UUID> currentVersion(TableMapping table, String key, UUID objektId) {
        List<JsonNode> rows = client.read(new GeofaStatements(table).current(), List.of(Map.of("objekt_id", objektId.toString()))).data();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        writeBack.take(table, key, rows.get(0));
        return Optional.of(UUID.fromString(rows.get(0).path("versions_id").asText()));
    }

    /**
     * GeoFA's values of the mapping's write_back columns for VK row {@code key}, as this batch's create,
     * update or look-up returned them (until {@link #forget}); none when nothing was returned.
     */
    public ColumnValues writeBackValues(TableMapping table, String key) {
        return writeBack.of(table, key);
    }

    /**
     * Sends the mapped columns among {@code vkColumns} to object {@code objektId}; nothing when none
     * of them is mapped (no version made in GeoFA for nothing). When the answer is lost, GeoFA is
     * asked what still differs, and only that is sent again, so a lost answer makes no extra version.
     *
     * @return the new versions_id, or empty when there was nothing to send
     */
    public Optional<UUID> update(TableMapping table, String key, UUID objektId, ColumnValues values, Set<String> vkColumns) {
        Map<String, Object> params = GeofaValues.forUpdate(table, values, vkColumns);
        if (params.isEmpty()) {
            return Optional.empty();
        }
        try {
            return send(table, key, objektId, params);
        } catch (GeofaException.OutcomeUnknown e) {
            LOG.info("{} {}: the update's answer was lost ({}); comparing with GeoFA before sending again", table.table(), key, e.getMessage());
            return updateDiffering(table, key, objektId, values, vkColumns);
        }
    }

    /**
     * Sends those mapped columns among {@code vkColumns} whose values GeoFA's object does not hold
     * yet (state, not deltas: replays and re-sent events); nothing, and no new version, when it
     * already holds them all.
     *
     * @return the new versions_id, or empty when GeoFA already held the values
     */
    public Optional<UUID> updateDiffering(TableMapping table, String key, UUID objektId, ColumnValues values, Set<String> vkColumns) {
        Map<String, Object> params = GeofaValues.forUpdate(table, values, vkColumns);
        if (params.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> compare = new LinkedHashMap<>(params);
        compare.put("objekt_id", objektId.toString());
        List<JsonNode> rows = client.read(new GeofaStatements(table).differing(params.keySet()), List.of(compare)).data();
        if (!rows.isEmpty()) {
            // no row: the object is not current in GeoFA; the update below then fails with GeoFA's own message
            params.keySet().removeIf(column -> !rows.get(0).path(column).asBoolean(true));
        }
        return params.isEmpty() ? Optional.empty() : send(table, key, objektId, params);
    }

    /** An update to send in a batch: VK row {@code key}'s object and the GeoFA values (all batched updates set the same columns). */
    public record PlannedUpdate(String key, UUID objektId, Map<String, Object> values) {
    }

    /** What a batched update did for one row: the new version, or GeoFA refused its values. */
    public record UpdateResult(Optional<UUID> version, Optional<String> refusal) {
    }

    /**
     * Sends updates of many objects of one table that set the same GeoFA columns in one statement
     * (one transaction in GeoFA). A refused batch is split in halves until the refused rows stand
     * alone; when the answer is lost, each object is compared with GeoFA and only what still differs
     * is sent, so no version is made twice.
     *
     * @return per key, in the order given
     */
    public Map<String, UpdateResult> updateAll(TableMapping table, List<PlannedUpdate> updates, Map<String, ColumnValues> afterImages,
                                               Map<String, Set<String>> vkColumns) {
        return updateAll(table, updates, afterImages, vkColumns, 1);
    }

    /** @param round how many times these updates were sent without an answer, plus one */
    private Map<String, UpdateResult> updateAll(TableMapping table, List<PlannedUpdate> updates, Map<String, ColumnValues> afterImages,
                                                Map<String, Set<String>> vkColumns, int round) {
        Map<String, UpdateResult> results = new LinkedHashMap<>();
        if (updates.isEmpty()) {
            return results;
        }
        String sql = new GeofaStatements(table).update(updates.get(0).values().keySet());
        List<Map<String, Object>> params = updateParams(table, updates);
        try {
            results.putAll(takeUpdated(table, updates, client.execute(sql, params).data()));
        } catch (GeofaException.Rejected r) {
            if (updates.size() == 1) {
                results.put(updates.get(0).key(), new UpdateResult(Optional.empty(), Optional.of(r.geofaMessage())));
                return results;
            }
            int half = updates.size() / 2;
            results.putAll(updateAll(table, updates.subList(0, half), afterImages, vkColumns, round));
            results.putAll(updateAll(table, updates.subList(half, updates.size()), afterImages, vkColumns, round));
        } catch (GeofaException.OutcomeUnknown e) {
            LOG.info("{}: the answer to {} updates was lost ({}); reading their versions in GeoFA", table.table(), updates.size(), e.getMessage());
            results.putAll(resolveLostUpdates(table, updates, afterImages, vkColumns, round));
        }
        return results;
    }

    /**
     * Settles a batch of updates whose answer was lost with one read: per object, which of the sent
     * columns GeoFA holds other values in. None: the update took effect (or GeoFA holds the same
     * values anyway), and its current version is recorded; some: only those columns go again. VK is
     * the master, so values someone changed in GeoFA meanwhile are set back too. A request GeoFA was
     * still running when the answer was lost may commit after this read; then the values went
     * twice, which makes one extra version with the same values, never a wrong one.
     */
    private Map<String, UpdateResult> resolveLostUpdates(TableMapping table, List<PlannedUpdate> updates, Map<String, ColumnValues> afterImages,
                                                         Map<String, Set<String>> vkColumns, int round) {
        String source = table.table().toString();
        Compared compared = compare(table, updates);
        Map<String, UpdateResult> results = new LinkedHashMap<>();
        compared.held().forEach((key, version) -> results.put(key, new UpdateResult(Optional.of(version), Optional.empty())));
        compared.refused().forEach((key, message) -> results.put(key, new UpdateResult(Optional.empty(), Optional.of(message))));
        Map<Set<String>, List<PlannedUpdate>> again = compared.differing();
        if (!again.isEmpty()) {
            if (round >= LOST_ANSWER_ROUNDS) {
                throw new GeofaException.OutcomeUnknown(source + ": " + again.values().stream().mapToInt(List::size).sum()
                        + " updates still differ in GeoFA after " + round + " rounds of lost answers", null);
            }
            LOG.info("{}: of {} updates whose answer was lost, {} did not take effect; sending what still differs", source, updates.size(),
                    again.values().stream().mapToInt(List::size).sum());
            again.values().forEach(group -> results.putAll(updateAll(table, group, afterImages, vkColumns, round + 1)));
        }
        Map<String, UpdateResult> ordered = new LinkedHashMap<>();
        updates.forEach(u -> ordered.put(u.key(), results.get(u.key())));
        return ordered;
    }

    /** What applying an object's whole state did: the version GeoFA holds now, whether this request made it, or GeoFA's refusal. */
    public record StateResult(Optional<UUID> version, boolean changed, Optional<String> refusal) {
    }

    /**
     * Applies the whole state of many linked objects (per batch: one table, all setting the same
     * GeoFA columns): one read asks GeoFA, per object, which columns hold other values; the objects
     * that differ get exactly those columns in one request, and the others make no new version.
     * Replies need GeoFA's write_back values: the read returns them, so a state that GeoFA holds
     * costs no further request (derived write_back columns of what was updated are read after it,
     * as for any update). One by one, each object cost two requests.
     *
     * @return per batch, in the order given: per key, in the order given
     */
    public List<Map<String, StateResult>> applyStates(List<UpdateBatch> batches) {
        List<Compared> compared = compareAll(batches);
        List<Map<String, StateResult>> results = new ArrayList<>();
        List<UpdateBatch> again = new ArrayList<>();
        List<Integer> againOf = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            UpdateBatch batch = batches.get(b);
            Map<String, StateResult> done = new LinkedHashMap<>();
            results.add(done);
            compared.get(b).held().forEach((key, version) -> done.put(key, new StateResult(Optional.of(version), false, Optional.empty())));
            compared.get(b).refused().forEach((key, message) -> done.put(key, new StateResult(Optional.empty(), false, Optional.of(message))));
            for (List<PlannedUpdate> group : compared.get(b).differing().values()) {
                again.add(new UpdateBatch(batch.table(), group, batch.afterImages(), batch.vkColumns()));
                againOf.add(b);
            }
        }
        if (!again.isEmpty()) {
            // every table's and every group of differing columns' update is a statement of one request
            List<Map<String, UpdateResult>> updated = writeAll(List.of(), again).updated();
            for (int k = 0; k < again.size(); k++) {
                Map<String, StateResult> done = results.get(againOf.get(k));
                updated.get(k).forEach((key, r) -> done.put(key, new StateResult(r.version(), r.version().isPresent(), r.refusal())));
            }
        }
        List<Map<String, StateResult>> ordered = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            Map<String, StateResult> inOrder = new LinkedHashMap<>();
            Map<String, StateResult> done = results.get(b);
            batches.get(b).updates().forEach(u -> inOrder.put(u.key(), done.get(u.key())));
            ordered.add(inOrder);
        }
        return ordered;
    }

    /**
     * What GeoFA holds of planned updates: per key the current version where GeoFA holds every
     * value already (its write_back columns taken, the version recorded in the links); per set of
     * differing columns the updates that must send those; per key GeoFA's refusal where it could
     * not even compare the object's values (a value it cannot cast: an update would be refused too).
     */
    private record Compared(Map<String, UUID> held, Map<Set<String>, List<PlannedUpdate>> differing, Map<String, String> refused) {

        Compared plus(Compared other) {
            Map<String, UUID> h = new LinkedHashMap<>(held);
            h.putAll(other.held());
            Map<Set<String>, List<PlannedUpdate>> d = new LinkedHashMap<>();
            differing.forEach((columns, list) -> d.put(columns, new ArrayList<>(list)));
            other.differing().forEach((columns, list) -> d.computeIfAbsent(columns, c -> new ArrayList<>()).addAll(list));
            Map<String, String> r = new LinkedHashMap<>(refused);
            r.putAll(other.refused());
            return new Compared(h, d, r);
        }
    }

    /** {@link #compare} for several batches in ONE read; a refused read is asked again batch by batch, to find what GeoFA cannot compare. */
    private List<Compared> compareAll(List<UpdateBatch> batches) {
        if (batches.size() == 1) {
            return List.of(compare(batches.get(0).table(), batches.get(0).updates()));
        }
        List<GeofaClient.Statement> reads = batches.stream().map(b -> new GeofaClient.Statement(
                new GeofaStatements(b.table()).differingAll(b.updates().get(0).values().keySet()), List.of(Map.of("rows", rows(b.updates()))))).toList();
        List<SqlResult> answers;
        try {
            answers = client.readAll(reads);
        } catch (GeofaException.Rejected refused) {
            return batches.stream().map(b -> compare(b.table(), b.updates())).toList();
        }
        List<Compared> compared = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            compared.add(split(batches.get(b).table(), batches.get(b).updates(), answers.get(b).data()));
        }
        return compared;
    }

    /**
     * Compares planned updates of one table with GeoFA in one read. When GeoFA refuses the read (a
     * value of one object does not cast), it is split in halves until the refused objects stand
     * alone, so their neighbours are still compared: a few reads, not one per object.
     */
    private Compared compare(TableMapping table, List<PlannedUpdate> updates) {
        try {
            return split(table, updates, client.read(new GeofaStatements(table).differingAll(updates.get(0).values().keySet()),
                    List.of(Map.of("rows", rows(updates)))).data());
        } catch (GeofaException.Rejected refused) {
            if (updates.size() == 1) {
                return new Compared(Map.of(), Map.of(), Map.of(updates.get(0).key(), refused.geofaMessage()));
            }
            int half = updates.size() / 2;
            return compare(table, updates.subList(0, half)).plus(compare(table, updates.subList(half, updates.size())));
        }
    }

    /** The {@code :rows} parameter of {@link GeofaStatements#differingAll}: objekt_id and the values, per object. */
    private static String rows(List<PlannedUpdate> updates) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (PlannedUpdate u : updates) {
            var row = rows.addObject().put("objekt_id", u.objektId().toString());
            u.values().forEach((column, value) -> row.put(column, value == null ? null : value.toString()));
        }
        return rows.toString();
    }

    /**
     * Splits planned updates by what GeoFA's {@code differingAll} rows say. An object not current in
     * GeoFA counts as differing in every column: sent, GeoFA's refusal says what became of it.
     */
    private Compared split(TableMapping table, List<PlannedUpdate> updates, List<JsonNode> answer) {
        Set<String> columns = updates.get(0).values().keySet();
        Map<UUID, JsonNode> now = new LinkedHashMap<>();
        answer.forEach(row -> now.put(UUID.fromString(row.path("objekt_id").asText()), row));
        Map<String, UUID> held = new LinkedHashMap<>();
        Map<Set<String>, List<PlannedUpdate>> differing = new LinkedHashMap<>();
        for (PlannedUpdate u : updates) {
            JsonNode row = now.get(u.objektId());
            if (row == null) {
                differing.computeIfAbsent(columns, c -> new ArrayList<>()).add(u);
                continue;
            }
            Set<String> differs = new java.util.LinkedHashSet<>();
            columns.stream().filter(c -> row.path("differs_" + c).asBoolean(true)).forEach(differs::add);
            if (differs.isEmpty()) {
                held.put(u.key(), UUID.fromString(row.path("versions_id").asText()));
                writeBack.take(table, u.key(), row);
            } else {
                Map<String, Object> values = new LinkedHashMap<>(u.values());
                values.keySet().retainAll(differs);
                differing.computeIfAbsent(Set.copyOf(differs), c -> new ArrayList<>()).add(new PlannedUpdate(u.key(), u.objektId(), values));
            }
        }
        links.versioned(table.table().toString(), held);
        return new Compared(held, differing, Map.of());
    }

    private Optional<UUID> send(TableMapping table, String key, UUID objektId, Map<String, Object> values) {
        Map<String, Object> params = new LinkedHashMap<>(values);
        String sql = new GeofaStatements(table).update(params.keySet());
        params.putAll(GeofaStatements.updateTarget(objektId, knownVersion(table, key, objektId)));
        SqlResult result = client.execute(sql, List.of(params));
        UUID version = UUID.fromString(result.data().get(0).get("versions_id").asText());
        links.versioned(table.table().toString(), Map.of(key, version));
        writeBack.take(table, key, result.data().get(0));
        writeBack.readDerived(table, Map.of(objektId, key));
        return Optional.of(version);
    }

    /**
     * Whether GeoFA answers a trivial statement right now: tells "GeoFA fails on this object" from
     * "GeoFA is failing" before an object is given up.
     */
    public boolean geofaAnswers() {
        try {
            client.execute("select 1", List.of());
            return true;
        } catch (GeofaException e) {
            return false;
        }
    }

    /** Deletes (closes) object {@code objektId}; false when GeoFA had no such current object (already gone). */
    public boolean delete(TableMapping table, String key, UUID objektId) {
        String sql = new GeofaStatements(table).delete();
        List<Map<String, Object>> params = List.of(Map.of("objekt_id", objektId.toString()));
        boolean deleted;
        try {
            deleted = deleteOnce(sql, params);
        } catch (GeofaException.OutcomeUnknown e) {
            deleteOnce(sql, params); // COUNT 0 here means the lost first delete closed it
            deleted = true;
        }
        links.deleted(table.table().toString(), key);
        return deleted;
    }

    private boolean deleteOnce(String sql, List<Map<String, Object>> params) {
        try {
            client.execute(sql, params);
            return true;
        } catch (GeofaException.Rejected e) {
            if (e.geofaMessage().contains("COUNT 0 ERROR")) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The objects GeoFA holds for these VK rows' correlation keys, in one lookup; what is found is
     * linked. The request takes the keys' create locks first, so a create of them GeoFA's database is
     * still running (its answer lost, the client long gone) commits before the look: a delete or
     * update that follows does not miss the object. (A create still queued in GC2's web tier, not yet
     * in its database, is not waited for: that window is what reconcile finds.)
     */
    private Map<String, Created> lookupAll(TableMapping table, List<String> keys) {
        GeofaStatements statements = new GeofaStatements(table);
        Map<String, String> keyOf = new LinkedHashMap<>();
        keys.forEach(k -> keyOf.put(statements.correlationKey(k), k));
        ArrayNode noegler = JsonNodeFactory.instance.arrayNode();
        keyOf.keySet().forEach(noegler::add);
        Map<String, Created> found = new LinkedHashMap<>();
        List<ObjectLinks.NewLink> made = new ArrayList<>();
        List<SqlResult> answers = client.readAll(List.of(lockCreates(table, keyOf.keySet()),
                new GeofaClient.Statement(statements.lookupAll(), List.of(statements.lookupParams(noegler.toString())))));
        for (JsonNode row : answers.get(1).data()) {
            String key = keyOf.get(row.get(GeofaStatements.NOEGLE).asText());
            if (key == null || found.containsKey(key)) {
                LOG.warn("{}: GeoFA holds more than one current object with noegle {}; linking the first", table.table(), row.get(GeofaStatements.NOEGLE).asText());
                continue;
            }
            Created c = new Created(UUID.fromString(row.get("objekt_id").asText()), UUID.fromString(row.get("versions_id").asText()), true);
            found.put(key, c);
            writeBack.take(table, key, row); // the view's current row: derived columns included
            made.add(new ObjectLinks.NewLink(key, statements.correlationKey(key), c.objektId(), c.versionsId()));
        }
        links.linked(table.table().toString(), table.theme().name(), made);
        return found;
    }

    private Optional<Created> lookup(TableMapping table, String key) {
        return Optional.ofNullable(lookupAll(table, List.of(key)).get(key));
    }
}
