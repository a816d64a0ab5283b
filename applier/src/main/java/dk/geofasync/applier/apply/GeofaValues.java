package dk.geofasync.applier.apply;

import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * VK values turned into GeoFA parameter values, by GeoFA column: each mapped column through its
 * transforms and value map, plus the mapping's constants for a create. Values stay text (or null);
 * GeoFA's PostgreSQL types them from the statement.
 */
final class GeofaValues {

    private GeofaValues() {
    }

    /** Every value a create sends (absent VK values as null), with the constants and the correlation key. */
    static Map<String, Object> forCreate(TableMapping table, ColumnValues vk, String correlationKey) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ColumnMapping c : table.columns()) {
            values.put(c.geofaColumn(), c.apply(vk.value(c.vkColumn())).orElse(null));
        }
        values.putAll(table.constants());
        values.put(GeofaStatements.NOEGLE, correlationKey);
        return values;
    }

    /** The values of the mapped columns among {@code vkColumns} (an update sends only what changed). */
    static Map<String, Object> forUpdate(TableMapping table, ColumnValues vk, Set<String> vkColumns) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ColumnMapping c : table.columns()) {
            if (vkColumns.contains(c.vkColumn()) && vk.has(c.vkColumn())) {
                values.put(c.geofaColumn(), c.apply(vk.value(c.vkColumn())).orElse(null));
            }
        }
        return values;
    }
}
