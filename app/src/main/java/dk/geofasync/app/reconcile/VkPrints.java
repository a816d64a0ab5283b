package dk.geofasync.app.reconcile;

import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * VK's side of a reconcile of one table: every row's fingerprint, made from the values the sync
 * would send (the synced columns as the capture trigger writes them, through the mapping's rules in
 * Java, as the applier applies them; the geometry by PostGIS in VK, as GeoFA's PostGIS does). Rows
 * are streamed; a million-row table never sits in memory.
 */
final class VkPrints {

    private static final int FETCH_SIZE = 2_000;

    private final ComparedColumns compared;
    private final DataSource vk;
    private long nanos;

    VkPrints(ComparedColumns compared, DataSource vk) {
        this.compared = compared;
        this.vk = vk;
    }

    /** Hash sums of every row, by bucket. */
    BucketSums sums(int digits) {
        BucketSums sums = new BucketSums();
        read(Optional.empty(), digits, p -> sums.add(Canonical.bucket(compared.noeglePrefix() + p.key(), digits), p.hash()));
        return sums;
    }

    /** The prints of the rows in {@code buckets}, by key. */
    Map<String, RowPrint> inBuckets(Collection<String> buckets, int digits) {
        Map<String, RowPrint> prints = new HashMap<>();
        if (!buckets.isEmpty()) {
            read(Optional.of(List.copyOf(buckets)), digits, p -> prints.put(p.key(), p));
        }
        return prints;
    }

    /** How many rows the table has (PostgreSQL's estimate is enough to size the buckets). */
    long rowsEstimate() {
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select greatest(reltuples, 0)::bigint from pg_class where oid = to_regclass(?)")) {
            ps.setString(1, compared.table().table().quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the rows of " + compared.table().table() + ": " + e.getMessage(), e);
        }
    }

    /** Objekt_ids VK gives to more than one row of the table, with those rows' keys. */
    Map<String, List<String>> sharedObjektIds() {
        TableMapping t = compared.table();
        String sql = "select " + SqlIdentifier.quote(t.objektIdColumn()) + "::text, array_agg(" + SqlIdentifier.quote(t.keyColumn())
                + "::text order by " + SqlIdentifier.quote(t.keyColumn()) + ") from " + t.table().quoted() + " where "
                + SqlIdentifier.quote(t.objektIdColumn()) + " is not null group by 1 having count(*) > 1";
        Map<String, List<String>> shared = new HashMap<>();
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                shared.put(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look for objekt_ids shared by rows of " + t.table() + ": " + e.getMessage(), e);
        }
        return shared;
    }

    /** Time spent in VK's queries and on their rows. */
    long nanos() {
        return nanos;
    }

    private void read(Optional<List<String>> buckets, int digits, Consumer<RowPrint> each) {
        long started = System.nanoTime();
        TableMapping t = compared.table();
        List<String> synced = t.syncedVkColumns();
        Optional<String> geometry = compared.vkGeometryColumn();
        try (Connection c = vk.getConnection()) {
            c.setAutoCommit(false); // the driver streams only inside a transaction
            try (Statement s = c.createStatement()) {
                s.execute("set local datestyle = 'ISO, YMD'"); // as the capture trigger writes dates
            }
            try (PreparedStatement ps = c.prepareStatement(sql(synced, geometry, buckets.isPresent(), digits))) {
                ps.setFetchSize(FETCH_SIZE);
                if (buckets.isPresent()) {
                    ps.setString(1, compared.noeglePrefix());
                    Array array = c.createArrayOf("text", buckets.get().toArray());
                    ps.setArray(2, array);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> values = new HashMap<>();
                        for (int i = 0; i < synced.size(); i++) {
                            values.put(synced.get(i), rs.getString(i + 3));
                        }
                        Optional<String> geometryPrint = geometry.map(g -> {
                            try {
                                return rs.getString(synced.size() + 3);
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        each.accept(compared.ofVk(rs.getString(1), Optional.ofNullable(rs.getString(2)),
                                col -> Optional.ofNullable(values.get(col)), geometryPrint.filter(p -> p != null), buckets.isPresent()));
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the rows of " + t.table() + " to compare them with GeoFA: " + e.getMessage(), e);
        } finally {
            nanos += System.nanoTime() - started;
        }
    }

    /** Names come from the validated mapping, quoted; the bucket filter's values are parameters. */
    private String sql(List<String> synced, Optional<String> geometry, boolean filtered, int digits) {
        TableMapping t = compared.table();
        String key = "r." + SqlIdentifier.quote(t.keyColumn());
        StringBuilder sql = new StringBuilder("select ").append(key).append("::text, r.").append(SqlIdentifier.quote(t.objektIdColumn())).append("::text");
        for (String column : synced) {
            sql.append(", ").append(geometry.filter(column::equals).isPresent() ? "null" : "r." + SqlIdentifier.quote(column) + "::text");
        }
        geometry.map(g -> "r." + SqlIdentifier.quote(g)).ifPresent(g -> sql.append(", case when ").append(g).append(" is null then null")
                // a geometry the relay cannot convert never reaches GeoFA: a mark no fingerprint equals
                .append(" when st_srid(").append(g).append(") = 0 or not exists (select 1 from spatial_ref_sys s where s.srid = st_srid(")
                .append(g).append(")) then 'unconvertible' else ")
                // through the GeoJSON the relay sends (9 decimals), so VK hashes the very coordinates GeoFA stores
                .append(Canonical.geometrySql("st_geomfromgeojson(st_asgeojson(st_transform(" + g + ", 25832), 9, 2))")).append(" end"));
        sql.append(" from ").append(t.table().quoted()).append(" r");
        if (filtered) {
            sql.append(" where ").append(Canonical.bucketSql("? || " + key + "::text", digits)).append(" = any(?)");
        }
        return sql.toString();
    }
}
