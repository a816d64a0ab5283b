package dk.geofasync.app.datacheck;

import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Streams a mapped VK table's rows in the form the applier receives them: each synced column as
 * the capture trigger writes it ({@code ::text} under {@code DateStyle ISO, YMD}) and the geometry
 * as the relay makes it (GeoJSON in EPSG:25832, 9 decimals). So what check-data judges is exactly
 * what would be sent. Rows are fetched in portions; a million-row table never sits in memory.
 */
final class VkRowReader {

    /** Rows per round trip of the cursor. */
    static final int FETCH_SIZE = 1_000;

    /**
     * One row: its key, its synced values by VK column, and why its geometry cannot even become a
     * change event (no SRID, an SRID PostGIS does not know), when that is so.
     */
    record VkRow(String key, ColumnValues values, Optional<String> geometryProblem) {
    }

    private final TableMapping table;
    private final Optional<String> geometryColumn;

    VkRowReader(TableMapping table) {
        this.table = table;
        this.geometryColumn = table.columnFromGeofa(FkgTheme.GEOMETRY_COLUMN).map(ColumnMapping::vkColumn);
    }

    /**
     * Hands every row of the table, in key order, to {@code each}. Needs a connection out of
     * autocommit (PostgreSQL's driver streams only inside a transaction); sets the DateStyle for
     * that transaction only.
     */
    void read(Connection c, Consumer<VkRow> each) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set local datestyle = 'ISO, YMD'"); // as the capture trigger does: dates reach GeoFA in one form
        }
        try (PreparedStatement ps = c.prepareStatement(sql())) {
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> synced = table.syncedVkColumns();
                while (rs.next()) {
                    Map<String, String> values = new HashMap<>();
                    for (int i = 0; i < synced.size(); i++) {
                        values.put(synced.get(i), rs.getString(i + 2));
                    }
                    Optional<String> problem = Optional.empty();
                    if (geometryColumn.isPresent()) {
                        values.put(geometryColumn.get(), rs.getString(synced.size() + 2));
                        problem = geometryProblem(rs.getObject(synced.size() + 3, Integer.class), rs.getBoolean(synced.size() + 4));
                    }
                    each.accept(new VkRow(rs.getString(1), ColumnValues.of(values), problem));
                }
            }
        }
    }

    /** Why the relay could not make the geometry into GeoJSON: it transforms to EPSG:25832, which needs a known SRID. */
    private Optional<String> geometryProblem(Integer srid, boolean knownSrid) {
        if (srid == null) {
            return Optional.empty();
        }
        if (srid == 0) {
            return Optional.of("the geometry has no SRID (0), so it cannot be sent: give the VK column an SRID "
                    + "(geometry(" + table.theme().geometryType().geoJsonName() + ", 25832)) or set it on the row");
        }
        return knownSrid ? Optional.empty()
                : Optional.of("the geometry's SRID " + srid + " is not one PostGIS knows (spatial_ref_sys), so it cannot be made EPSG:25832");
    }

    /** Names come from the validated mapping and are quoted by {@link SqlIdentifier}; no value is put into the text. */
    String sql() {
        StringBuilder sql = new StringBuilder("select r.").append(SqlIdentifier.quote(table.keyColumn())).append("::text");
        for (String column : table.syncedVkColumns()) {
            // the geometry's text (hex EWKB) is not read: the GeoJSON below is what the relay sends
            sql.append(", ").append(geometryColumn.filter(column::equals).isPresent() ? "null" : "r." + SqlIdentifier.quote(column) + "::text");
        }
        geometryColumn.map(SqlIdentifier::quote).ifPresent(g -> sql.append("""
                , case when st_srid(r.%1$s) <> 0 and exists (select 1 from spatial_ref_sys s where s.srid = st_srid(r.%1$s))
                       then st_asgeojson(st_transform(r.%1$s, 25832), 9, 2) end,
                  st_srid(r.%1$s),
                  exists (select 1 from spatial_ref_sys s where s.srid = st_srid(r.%1$s))""".formatted(g)));
        return sql.append(" from ").append(table.table().quoted()).append(" r order by r.")
                .append(SqlIdentifier.quote(table.keyColumn())).toString();
    }
}
