package dk.geofasync.app.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.applier.geofa.GeofaClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * GeoFA's side of a reconcile of one table: fingerprints computed by GeoFA's own PostgreSQL, so only
 * sums and hashes travel. Every statement is a select through the applier's client (same request
 * budget, same token); the theme and column names come from the validated mapping and catalogue,
 * every value is a parameter.
 */
final class GeofaPrints {

    /** Objects one row-level read asks for at most: far below GC2's cap of 100,000 rows a JSON answer. */
    static final int ROWS_PER_READ = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TWO_TO_THE_60 = "1152921504606846976";

    private final ComparedColumns compared;
    private final GeofaClient client;
    private final String view;
    private int requests;
    private long nanos;

    GeofaPrints(ComparedColumns compared, GeofaClient client) {
        this.compared = compared;
        this.client = client;
        this.view = "fkg." + compared.table().theme().name();
    }

    /** Per bucket, how many of this table's objects GeoFA holds current and the sum of their hashes (one request). */
    Map<String, BucketSums.Sum> sums(int digits) {
        String prefix = compared.noeglePrefix();
        String q = "select " + Canonical.bucketSql("noegle", digits) + " as bucket, count(*) as objects, cast(sum(" + compared.geofaHashSql()
                + ") % " + TWO_TO_THE_60 + " as text) as hash_sum from " + view + " where " + ownObjects() + " group by 1";
        Map<String, BucketSums.Sum> sums = new HashMap<>();
        for (JsonNode row : read(q, Map.of("prefix", prefix))) {
            sums.put(row.path("bucket").asText(), new BucketSums.Sum(row.path("objects").asLong(), Long.parseLong(row.path("hash_sum").asText())));
        }
        return sums;
    }

    /** The fingerprints of this table's current objects in {@code buckets}, by VK row key (a key may have several objects). */
    Map<String, List<RowPrint>> inBuckets(Collection<String> buckets, int digits, long expectedRows) {
        Map<String, List<RowPrint>> prints = new HashMap<>();
        List<String> all = List.copyOf(buckets);
        int perRead = (int) Math.max(1, Math.min(all.size(), ROWS_PER_READ * (long) all.size() / Math.max(1, expectedRows)));
        for (int from = 0; from < all.size(); from += perRead) {
            List<String> part = all.subList(from, Math.min(all.size(), from + perRead));
            String q = select() + " where " + ownObjects() + " and " + Canonical.bucketSql("noegle", digits)
                    + " in (select json_array_elements_text(cast(:buckets as json)))";
            for (JsonNode row : read(q, Map.of("prefix", compared.noeglePrefix(), "buckets", json(part)))) {
                RowPrint p = print(row);
                prints.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
            }
        }
        return prints;
    }

    /** The fingerprints of the current objects {@code ids}, whatever their noegle, by objekt_id. */
    Map<UUID, RowPrint> byObjektId(Collection<UUID> ids) {
        Map<UUID, RowPrint> prints = new HashMap<>();
        List<String> all = ids.stream().map(UUID::toString).toList();
        for (int from = 0; from < all.size(); from += ROWS_PER_READ) {
            String q = select() + " where objekt_id in (select cast(json_array_elements_text(cast(:ids as json)) as uuid))";
            for (JsonNode row : read(q, Map.of("ids", json(all.subList(from, Math.min(all.size(), from + ROWS_PER_READ)))))) {
                RowPrint p = print(row);
                p.objekt().ifPresent(id -> prints.put(id, p));
            }
        }
        return prints;
    }

    /**
     * Which of {@code ids} GeoFA shows as closed versions only: deleted there. An objekt_id GeoFA shows
     * neither current nor closed may be hidden by GeoFA's read rules, so it is never created anew.
     */
    Set<UUID> closed(Collection<UUID> ids) {
        Set<UUID> closed = new java.util.HashSet<>();
        List<String> all = ids.stream().map(UUID::toString).toList();
        for (int from = 0; from < all.size(); from += ROWS_PER_READ) {
            // every version of the object closed: a read rule hiding the current view's row may let its history show
            String q = "select cast(objekt_id as text) as objekt_id from fkg.hist_" + compared.table().theme().name()
                    + " where objekt_id in (select cast(json_array_elements_text(cast(:ids as json)) as uuid))"
                    + " group by objekt_id having bool_and(systid_til is not null)";
            for (JsonNode row : read(q, Map.of("ids", json(all.subList(from, Math.min(all.size(), from + ROWS_PER_READ)))))) {
                RowPrint.uuid(row.path("objekt_id").asText()).ifPresent(closed::add);
            }
        }
        return closed;
    }

    /** Objects one read of candidates for --link asks for at most, page by page in objekt_id order. */
    static final int CANDIDATES_PER_READ = 50_000;

    /**
     * GeoFA's current objects of the theme that no VK row of this table is known by (no noegle of this
     * table), of the municipality when the mapping sends a cvr_kode, with what {@code rule} compares.
     */
    List<LinkMatcher.Candidate> candidates(dk.geofasync.core.mapping.MatchRule rule) {
        StringBuilder select = new StringBuilder("select cast(objekt_id as text) as objekt_id, cast(versions_id as text) as versions_id, noegle");
        for (int i = 0; i < rule.columns().size(); i++) {
            select.append(", ").append(compared.geofaColumnHashSql(rule.columns().get(i))).append(" as m").append(i);
        }
        boolean centroid = rule.withinMetres().isPresent();
        if (centroid) {
            select.append(", st_x(st_centroid(geometri)) as x, st_y(st_centroid(geometri)) as y");
        }
        Optional<String> cvr = Optional.ofNullable(compared.table().constants().get("cvr_kode"));
        String where = " where (noegle is null or left(noegle, " + compared.noeglePrefix().length() + ") <> :prefix)"
                + cvr.map(c -> " and cvr_kode = cast(:cvr as integer)").orElse("") + " and objekt_id > cast(:after as uuid)";
        List<LinkMatcher.Candidate> all = new ArrayList<>();
        String after = "00000000-0000-0000-0000-000000000000";
        while (true) {
            Map<String, Object> params = new java.util.LinkedHashMap<>();
            params.put("prefix", compared.noeglePrefix());
            cvr.ifPresent(c -> params.put("cvr", c));
            params.put("after", after);
            List<JsonNode> rows = read(select + " from " + view + where + " order by objekt_id limit " + CANDIDATES_PER_READ, params);
            for (JsonNode row : rows) {
                all.add(candidate(row, rule.columns().size(), centroid));
            }
            if (rows.size() < CANDIDATES_PER_READ) {
                return all;
            }
            after = rows.get(rows.size() - 1).path("objekt_id").asText();
        }
    }

    /** The current objects {@code ids} that carry no noegle of this table. */
    List<LinkMatcher.Candidate> candidatesById(java.util.Set<UUID> ids) {
        List<LinkMatcher.Candidate> all = new ArrayList<>();
        List<String> list = ids.stream().map(UUID::toString).toList();
        for (int from = 0; from < list.size(); from += ROWS_PER_READ) {
            String q = "select cast(objekt_id as text) as objekt_id, cast(versions_id as text) as versions_id, noegle from " + view
                    + " where objekt_id in (select cast(json_array_elements_text(cast(:ids as json)) as uuid))"
                    + " and (noegle is null or left(noegle, " + compared.noeglePrefix().length() + ") <> :prefix)";
            for (JsonNode row : read(q, Map.of("ids", json(list.subList(from, Math.min(list.size(), from + ROWS_PER_READ))),
                    "prefix", compared.noeglePrefix()))) {
                all.add(candidate(row, 0, false));
            }
        }
        return all;
    }

    private static LinkMatcher.Candidate candidate(JsonNode row, int columns, boolean centroid) {
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            hashes.add(row.path("m" + i).asText());
        }
        Optional<double[]> point = centroid && row.path("x").isNumber() && row.path("y").isNumber()
                ? Optional.of(new double[] {row.path("x").asDouble(), row.path("y").asDouble()}) : Optional.empty();
        String noegle = row.path("noegle").isNull() ? "" : row.path("noegle").asText("");
        return new LinkMatcher.Candidate(UUID.fromString(row.path("objekt_id").asText()), UUID.fromString(row.path("versions_id").asText()),
                Optional.of(noegle).filter(n -> !n.isEmpty()), hashes, point);
    }

    /** Requests sent so far. */
    int requests() {
        return requests;
    }

    /** Time spent waiting for GeoFA's answers (the budget's waits included). */
    long nanos() {
        return nanos;
    }

    /** This table's objects: those whose correlation key starts with {@code schema.table:} (no LIKE: {@code _} is its wildcard). */
    private String ownObjects() {
        return "left(noegle, " + compared.noeglePrefix().length() + ") = :prefix";
    }

    private String select() {
        List<String> encoded = compared.geofaEncodedSql();
        StringBuilder q = new StringBuilder("select noegle, cast(objekt_id as text) as objekt_id, cast(versions_id as text) as versions_id, cast(")
                .append(Canonical.hashSql(String.join(" || ", encoded))).append(" as text) as row_hash");
        for (int i = 1; i < encoded.size(); i++) {
            q.append(", ").append(Canonical.columnHashSql(encoded.get(i))).append(" as c").append(i);
        }
        return q.append(" from ").append(view).toString();
    }

    private RowPrint print(JsonNode row) {
        String noegle = row.path("noegle").isNull() ? "" : row.path("noegle").asText("");
        String key = noegle.startsWith(compared.noeglePrefix()) ? noegle.substring(compared.noeglePrefix().length()) : "";
        List<String> hashes = new ArrayList<>();
        for (int i = 1; i <= compared.geofaNames().size(); i++) {
            hashes.add(row.path("c" + i).asText());
        }
        return new RowPrint(key, Optional.of(row.path("objekt_id").asText()), RowPrint.uuid(row.path("versions_id").asText("")),
                Optional.of(noegle).filter(n -> !n.isEmpty()), Long.parseLong(row.path("row_hash").asText()), hashes);
    }

    private List<JsonNode> read(String q, Map<String, Object> params) {
        long started = System.nanoTime();
        try {
            requests++;
            return client.read(q, List.of(params)).data();
        } finally {
            nanos += System.nanoTime() - started;
        }
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
