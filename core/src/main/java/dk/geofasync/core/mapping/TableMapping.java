package dk.geofasync.core.mapping;

import dk.geofasync.core.fkg.FkgTheme;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How one VK table syncs to one GeoFA theme: the key that names a row, the column that receives
 * GeoFA's objekt_id, the synced columns, constant values, the GeoFA columns whose values are
 * masked in the change log, and the GeoFA columns written back into VK with the objekt_id
 * ({@code write_back}: GeoFA column to VK column, in the file's order), and how {@code reconcile --link}
 * matches rows to objects already in GeoFA ({@code match}).
 */
public record TableMapping(
        VkTable table,
        FkgTheme theme,
        String keyColumn,
        String objektIdColumn,
        List<ColumnMapping> columns,
        Map<String, String> constants,
        Set<String> sensitiveColumns,
        Map<String, String> writeBack,
        Optional<MatchRule> match) {

    public TableMapping {
        columns = List.copyOf(columns);
        constants = Map.copyOf(constants);
        sensitiveColumns = Set.copyOf(sensitiveColumns);
        writeBack = Collections.unmodifiableMap(new LinkedHashMap<>(writeBack));
    }

    /**
     * The VK table's hash: tables are map keys on the applier's path for every event, and the
     * record's own hash would walk the whole theme catalogue each time (equal mappings name the same table).
     */
    @Override
    public int hashCode() {
        return Objects.hashCode(table);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof TableMapping t && Objects.equals(table, t.table) && Objects.equals(theme, t.theme)
                && Objects.equals(keyColumn, t.keyColumn) && Objects.equals(objektIdColumn, t.objektIdColumn) && columns.equals(t.columns) && constants.equals(t.constants)
                && sensitiveColumns.equals(t.sensitiveColumns) && writeBack.equals(t.writeBack) && match.equals(t.match);
    }

    /** A table with no rule to match objects already in GeoFA. */
    public TableMapping(VkTable table, FkgTheme theme, String keyColumn, String objektIdColumn, List<ColumnMapping> columns,
                        Map<String, String> constants, Set<String> sensitiveColumns, Map<String, String> writeBack) {
        this(table, theme, keyColumn, objektIdColumn, columns, constants, sensitiveColumns, writeBack, Optional.empty());
    }

    /** A table that writes nothing back but the objekt_id. */
    public TableMapping(VkTable table, FkgTheme theme, String keyColumn, String objektIdColumn, List<ColumnMapping> columns,
                        Map<String, String> constants, Set<String> sensitiveColumns) {
        this(table, theme, keyColumn, objektIdColumn, columns, constants, sensitiveColumns, Map.of(), Optional.empty());
    }

    public Optional<ColumnMapping> columnFromVk(String vkColumn) {
        return columns.stream().filter(c -> c.vkColumn().equals(vkColumn)).findFirst();
    }

    public Optional<ColumnMapping> columnFromGeofa(String geofaColumn) {
        return columns.stream().filter(c -> c.geofaColumn().equals(geofaColumn)).findFirst();
    }

    /** The VK columns whose change must reach GeoFA, in mapping order. */
    public List<String> syncedVkColumns() {
        return columns.stream().map(ColumnMapping::vkColumn).toList();
    }

    /** The VK columns the write-back fills besides the objekt_id column; never captured, so filling them sends nothing to GeoFA. */
    public List<String> writtenBackVkColumns() {
        return List.copyOf(writeBack.values());
    }

    /** Every VK column geofa-sync reads from the table: key, objekt_id column and synced columns. */
    public Set<String> vkColumnsRead() {
        Set<String> read = new LinkedHashSet<>();
        read.add(keyColumn);
        read.add(objektIdColumn);
        read.addAll(syncedVkColumns());
        return read;
    }
}
