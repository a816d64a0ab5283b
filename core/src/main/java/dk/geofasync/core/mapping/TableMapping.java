package dk.geofasync.core.mapping;

import dk.geofasync.core.fkg.FkgTheme;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How one VK table syncs to one GeoFA theme: the key that names a row, the column that receives
 * GeoFA's objekt_id, the synced columns, constant values, and the GeoFA columns whose values are
 * masked in the change log.
 */
public record TableMapping(
        VkTable table,
        FkgTheme theme,
        String keyColumn,
        String objektIdColumn,
        List<ColumnMapping> columns,
        Map<String, String> constants,
        Set<String> sensitiveColumns) {

    public TableMapping {
        columns = List.copyOf(columns);
        constants = Map.copyOf(constants);
        sensitiveColumns = Set.copyOf(sensitiveColumns);
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

    /** Every VK column geofa-sync reads from the table: key, objekt_id column and synced columns. */
    public Set<String> vkColumnsRead() {
        Set<String> read = new LinkedHashSet<>();
        read.add(keyColumn);
        read.add(objektIdColumn);
        read.addAll(syncedVkColumns());
        return read;
    }
}
