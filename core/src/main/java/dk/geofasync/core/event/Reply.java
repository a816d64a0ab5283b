package dk.geofasync.core.event;

import java.util.UUID;

/**
 * GeoFA's answer to a create or an update, on its way back to the VK row over {@code geofa-sync.replies}:
 * the object's objekt_id, its version, and the GeoFA columns the mapping's {@code write_back} asks for
 * (by GeoFA column, as GeoFA returned them; a column present without value is SQL null, an absent one is
 * left as VK has it).
 */
public record Reply(String sourceTable, String rowKey, UUID objektId, UUID versionsId, ColumnValues geofaValues) {

    /** A reply carrying the objekt_id and version only. */
    public Reply(String sourceTable, String rowKey, UUID objektId, UUID versionsId) {
        this(sourceTable, rowKey, objektId, versionsId, ColumnValues.none());
    }
}
