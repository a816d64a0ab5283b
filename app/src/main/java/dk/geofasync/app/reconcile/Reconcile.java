package dk.geofasync.app.reconcile;

import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.capture.housekeeping.OutboxHousekeeping;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code geofa-sync reconcile}: compares every mapped VK table with GeoFA and, with repair, queues
 * what mends the differences. Per table: one GeoFA request for per-bucket fingerprints of the
 * table's objects (count and hash sum, computed by GeoFA's PostgreSQL), the same made in VK, then
 * fingerprints of single objects only in the buckets that differ, and the judgement of each
 * ({@link Classifier}). Only sums and hashes leave GeoFA; nothing but keys and column names is kept.
 */
public final class Reconcile {

    private static final Logger LOG = LoggerFactory.getLogger(Reconcile.class);

    /** What to reconcile and whether to repair. */
    public record Options(Optional<String> table, boolean repair, boolean deleteOrphans, boolean link, ReconcileTrigger trigger) {
        /** Without --link. */
        public Options(Optional<String> table, boolean repair, boolean deleteOrphans, ReconcileTrigger trigger) {
            this(table, repair, deleteOrphans, false, trigger);
        }
    }

    /** A whole reconcile: its run number and each table's result. */
    public record Report(long run, List<TableResult> tables) {
        public int differences() {
            return tables.stream().mapToInt(TableResult::differences).sum();
        }
    }

    /** One daemon thread for GeoFA's side of the first step; its requests wait for the budget like any other. */
    private static final java.util.concurrent.ExecutorService GEOFA_READS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reconcile-geofa");
        t.setDaemon(true);
        return t;
    });

    private final DataSource vk;
    private final Mapping mapping;
    private final GeofaClient geofa;

    public Reconcile(DataSource vk, Mapping mapping, GeofaClient geofa) {
        this.vk = vk;
        this.mapping = mapping;
        this.geofa = geofa;
    }

    public Report run(Options options) {
        List<TableMapping> tables = options.table().map(name -> List.of(mapping.table(name).orElseThrow(
                () -> new IllegalArgumentException("table " + name + " is not in the mapping " + mapping.source() + "; it maps "
                        + mapping.tables().stream().map(t -> t.table().toString()).toList())))).orElse(mapping.tables());
        if (options.link() && tables.stream().noneMatch(t -> t.match().isPresent())) {
            throw new IllegalArgumentException("--link needs a match rule in the mapping (match: { columns: [...], within: METRES } or "
                    + "match: { objekt_id: COLUMN }) for " + (options.table().isPresent() ? "table " + options.table().get() : "at least one table"));
        }
        ReconcileRuns runs = new ReconcileRuns(vk);
        long run = runs.start(options.repair(), options.trigger());
        List<TableResult> results = new ArrayList<>();
        try {
            for (TableMapping table : tables) {
                TableResult r = table(table, options, run, runs);
                results.add(r);
                LOG.info("reconcile {}: {} {} ({} rows, {} objects): {} differences, {} repairs queued, {} GeoFA requests",
                        run, r.table(), r.theme(), r.vkRows(), r.geofaObjects(), r.differences(), r.repairsQueued(), r.geofaRequests());
            }
        } catch (RuntimeException e) {
            runs.failed(run, e.getMessage());
            throw e;
        }
        runs.finish(run);
        return new Report(run, results);
    }

    /** When the service's last reconcile (scheduled or after a gap, every table) with {@code outcome} started, if one did. */
    public static Optional<java.time.Instant> lastByService(DataSource vk, String outcome) {
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select max(started_at) from sync.reconcile_run where outcome = ? and trigger in ('schedule', 'gap')")) {
            ps.setString(1, outcome);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read sync.reconcile_run: " + e.getMessage(), e);
        }
    }

    private TableResult table(TableMapping table, Options options, long run, ReconcileRuns runs) {
        ComparedColumns compared = new ComparedColumns(table);
        VkPrints vkSide = new VkPrints(compared, vk);
        GeofaPrints geofaSide = new GeofaPrints(compared, geofa);
        Timestamp started = now();
        NoegleWriter noegler = new NoegleWriter(geofa, vk);
        List<Finding> adopted = options.link() && table.match().isPresent()
                ? new Adoption(compared, vk, geofaSide, noegler).link(table.match().get(), keys -> inFlight(table, keys, started))
                : List.of();
        int digits = BucketSums.digitsFor(count(table));

        // GeoFA computes its sums while VK's are computed here: the two scans take about as long
        java.util.concurrent.CompletableFuture<Map<String, BucketSums.Sum>> geofaSumsLater =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> geofaSide.sums(digits), GEOFA_READS);
        BucketSums vkSums = vkSide.sums(digits);
        Map<String, BucketSums.Sum> geofaSums = join(geofaSumsLater);
        Set<String> differing = BucketSums.differing(vkSums.asMap(), geofaSums);
        long geofaObjects = geofaSums.values().stream().mapToLong(BucketSums.Sum::objects).sum();

        Map<String, RowPrint> vkRows = vkSide.inBuckets(differing, digits);
        long expected = differing.stream().mapToLong(b -> geofaSums.getOrDefault(b, BucketSums.Sum.EMPTY).objects()).sum();
        Map<String, List<RowPrint>> geofaRows = differing.isEmpty() ? Map.of() : geofaSide.inBuckets(differing, digits, expected);
        Set<String> keys = new HashSet<>(vkRows.keySet());
        keys.addAll(geofaRows.keySet());
        Map<String, Classifier.Known> known = known(table, keys);
        // objects a row's noegle does not find, named by the row or by the sync's link: made before geofa-sync, closed in GeoFA, or hidden
        Set<UUID> unfound = new LinkedHashSet<>();
        vkRows.values().stream().filter(r -> geofaRows.getOrDefault(r.key(), List.of()).isEmpty())
                .forEach(r -> r.objekt().or(() -> Optional.ofNullable(known.get(r.key())).flatMap(Classifier.Known::objektId)).ifPresent(unfound::add));
        Map<UUID, RowPrint> byId = unfound.isEmpty() ? Map.of() : geofaSide.byObjektId(unfound);
        Set<UUID> notCurrent = new LinkedHashSet<>(unfound);
        notCurrent.removeAll(byId.keySet());
        Set<UUID> closed = notCurrent.isEmpty() ? Set.of() : geofaSide.closed(notCurrent);

        Set<String> inFlight = inFlight(table, keys, started);
        List<Finding> findings = new ArrayList<>(new Classifier(compared).classify(
                new Classifier.Sides(vkRows, geofaRows, byId, closed, known, inFlight)));
        sharedObjektIds(vkSide, findings);
        findings.addAll(adopted);
        findings.sort(java.util.Comparator.comparing(Finding::kind).thenComparing(Finding::key));

        List<Finding> queued = new ArrayList<>();
        if (options.repair()) {
            queued.addAll(new Repairs(vk).queue(table, findings, options.deleteOrphans()));
            List<Finding> keyless = findings.stream().filter(f -> f.repair() == Finding.Repair.WRITE_NOEGLE).toList();
            Set<String> written = new HashSet<>(noegler.write(table, keyless));
            keyless.stream().filter(f -> written.contains(f.key())).forEach(queued::add);
        }
        TableResult result = new TableResult(table.table().toString(), table.theme().name(), vkSums.objects(), geofaObjects,
                (int) Math.pow(16, digits), differing.size(), (int) inFlight.stream().filter(keys::contains).count(), findings,
                (int) queued.stream().filter(f -> f.kind().isDifference()).count(),
                geofaSide.requests() + noegler.requests(), vkSide.nanos() / 1e9, geofaSide.nanos() / 1e9);
        runs.table(run, result, Set.copyOf(queued));
        return result;
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> later) {
        try {
            return later.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Two VK rows naming one objekt_id: each is listed, and nothing else is done about them (a person
     * decides which row is the object; sending both rows' values would make them take turns in it).
     */
    private static void sharedObjektIds(VkPrints vkSide, List<Finding> findings) {
        Set<String> shared = new HashSet<>();
        Map<String, String> idOf = new HashMap<>();
        vkSide.sharedObjektIds().forEach((id, rows) -> rows.forEach(key -> {
            shared.add(key);
            idOf.put(key, id);
        }));
        findings.removeIf(f -> shared.contains(f.key()));
        shared.stream().sorted().forEach(key -> findings.add(new Finding(DifferenceKind.LINKED_TWICE, key, RowPrint.uuid(idOf.get(key)), List.of(),
                Finding.Repair.NONE)));
    }

    private long count(TableMapping table) {
        return queryLong("select count(*) from " + table.table().quoted());
    }

    private Timestamp now() {
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement("select now()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read VK's clock: " + e.getMessage(), e);
        }
    }

    private long queryLong(String sql) {
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read VK: " + e.getMessage(), e);
        }
    }

    /** The sync's links of {@code keys}: the object and the version it last wrote. */
    private Map<String, Classifier.Known> known(TableMapping table, Collection<String> keys) {
        Map<String, Classifier.Known> known = new HashMap<>();
        if (keys.isEmpty()) {
            return known;
        }
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select row_key, objekt_id, versions_id from sync.object_link where source_table = ? and row_key = any(?)")) {
            ps.setString(1, table.table().toString());
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.put(rs.getString(1), new Classifier.Known(Optional.ofNullable(rs.getObject(2, UUID.class)),
                            Optional.ofNullable(rs.getObject(3, UUID.class))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the links of " + table.table() + ": " + e.getMessage(), e);
        }
        return known;
    }

    /**
     * Keys with an event the applier has not finished, or captured since the reconcile began: their
     * two sides may differ only for the moment, so they are not judged this time. Read after both
     * sides, so a change made while they were read is among them.
     */
    private Set<String> inFlight(TableMapping table, Collection<String> keys, Timestamp started) {
        Set<String> inFlight = new HashSet<>();
        if (keys.isEmpty()) {
            return inFlight;
        }
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select distinct o.row_key from sync.outbox o where o.source_table = ? and o.row_key = any(?) and (o.captured_at >= ? or not ("
                        + OutboxHousekeeping.handledSql("o.id") + "))"
                        // keys the pump has not moved into the outbox yet are on their way too
                        + " union select k.row_key from sync.captured_key k where k.source_table = ? and k.row_key = any(?)")) {
            ps.setString(1, table.table().toString());
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            ps.setTimestamp(3, started);
            ps.setString(4, table.table().toString());
            ps.setArray(5, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inFlight.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the events of " + table.table() + " on their way: " + e.getMessage(), e);
        }
        return inFlight;
    }
}
