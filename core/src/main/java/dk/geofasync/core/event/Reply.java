package dk.geofasync.core.event;

import java.util.UUID;

/** GeoFA's answer to a create, on its way back to the VK row over {@code geofa-sync.replies}: the objekt_id it made. */
public record Reply(String sourceTable, String rowKey, UUID objektId, UUID versionsId) {
}
