package dk.geofasync.applier.writeback;

import java.util.UUID;

/** GeoFA's answer to a create, on its way back to the VK row: the objekt_id it made. */
public record Reply(String sourceTable, String rowKey, UUID objektId, UUID versionsId) {
}
