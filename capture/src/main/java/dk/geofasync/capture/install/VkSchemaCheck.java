package dk.geofasync.capture.install;

import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.InvalidMappingException;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.MappingProblem;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the mapping against the VK database before anything is installed: every table, key,
 * objekt_id column and synced column must exist, the key must identify a row, and every write_back
 * column must exist with a type that takes GeoFA's values. Reports every
 * problem at once, naming the mapping file, table and column.
 */
final class VkSchemaCheck {

    private VkSchemaCheck() {
    }

    static void check(Connection c, Mapping mapping) throws SQLException {
        List<MappingProblem> problems = new ArrayList<>();
        for (TableMapping table : mapping.tables()) {
            Map<String, String> columns = columns(c, table);
            String name = table.table().toString();
            if (columns.isEmpty()) {
                problems.add(problem(mapping, name, null, "the VK database has no table " + name));
                continue;
            }
            for (String column : table.vkColumnsRead()) {
                if (!columns.containsKey(column)) {
                    problems.add(problem(mapping, name, column, "VK table " + name + " has no column " + column));
                }
            }
            table.writeBack().forEach((geofa, vk) -> WriteBackColumns.problem(table, geofa, vk, Optional.ofNullable(columns.get(vk)))
                    .ifPresent(why -> problems.add(problem(mapping, name, vk, why))));
            Optional<String> geometry = table.columnFromGeofa(FkgTheme.GEOMETRY_COLUMN).map(ColumnMapping::vkColumn);
            if (geometry.isPresent() && columns.containsKey(geometry.get())) {
                geometryProblem(c, table, geometry.get()).ifPresent(why -> problems.add(problem(mapping, name, geometry.get(), why)));
            }
            if (columns.containsKey(table.keyColumn()) && !identifiesRows(c, table)) {
                problems.add(problem(mapping, name, table.keyColumn(),
                        "the key must be the table's primary key or a unique column, so it names one row"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidMappingException(problems);
        }
    }

    private static Map<String, String> columns(Connection c, TableMapping table) throws SQLException {
        Map<String, String> columns = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select column_name, udt_name from information_schema.columns where table_schema = ? and table_name = ?")) {
            ps.setString(1, table.table().schema());
            ps.setString(2, table.table().name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    /**
     * Why the VK geometry column cannot feed the theme, if it cannot: a declared kind other than the
     * theme's (single or multi), a declared SRID PostGIS cannot transform to EPSG:25832, or Z/M
     * coordinates (GeoFA's themes are 2D). A plain {@code geometry} column is accepted; its rows are
     * checked one by one (the relay dead-letters a row without SRID, the applier a wrong kind).
     */
    private static Optional<String> geometryProblem(Connection c, TableMapping table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select g.type, g.srid, g.coord_dimension, exists (select 1 from spatial_ref_sys r where r.srid = g.srid)
                  from geometry_columns g where g.f_table_schema = ? and g.f_table_name = ? and g.f_geometry_column = ?""")) {
            ps.setString(1, table.table().schema());
            ps.setString(2, table.table().name());
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.of("is not a PostGIS geometry column; GeoFA's theme " + table.theme().name() + " holds "
                            + table.theme().geometryType().geoJsonName());
                }
                String type = rs.getString(1).toUpperCase(java.util.Locale.ROOT);
                int srid = rs.getInt(2);
                String multi = table.theme().geometryType().geoJsonName().toUpperCase(java.util.Locale.ROOT);
                String single = multi.substring("MULTI".length());
                if (!type.equals("GEOMETRY") && !type.equals(multi) && !type.equals(single)) {
                    return Optional.of("holds " + rs.getString(1) + "; GeoFA's theme " + table.theme().name() + " holds "
                            + table.theme().geometryType().geoJsonName() + " (or single " + single.toLowerCase(java.util.Locale.ROOT) + "s)");
                }
                if (srid != 0 && !rs.getBoolean(4)) {
                    return Optional.of("has SRID " + srid + ", which PostGIS does not know (spatial_ref_sys), so it cannot be turned into "
                            + "GeoFA's EPSG:25832");
                }
                if (rs.getInt(3) > 2) {
                    return Optional.of("has " + rs.getInt(3) + " coordinate dimensions; GeoFA's themes are 2D (x, y)");
                }
                return Optional.empty();
            }
        }
    }

    /** Whether a primary key or unique index covers exactly the key column. */
    private static boolean identifiesRows(Connection c, TableMapping table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select count(*) from pg_index i
                  join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                 where i.indrelid = to_regclass(?) and i.indisunique and i.indnkeyatts = 1 and a.attname = ?""")) {
            ps.setString(1, table.table().quoted());
            ps.setString(2, table.keyColumn());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private static MappingProblem problem(Mapping mapping, String table, String column, String message) {
        return new MappingProblem(mapping.source(), Optional.of(table), Optional.ofNullable(column), message);
    }
}
