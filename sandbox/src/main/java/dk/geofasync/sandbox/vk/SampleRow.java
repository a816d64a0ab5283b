package dk.geofasync.sandbox.vk;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One generated VK object: its key, its objekt_id when it is already in GeoFA, and its values by
 * VK column (geometry as EWKT in EPSG:25832; null values absent).
 */
public record SampleRow(long key, Optional<UUID> objektId, Map<String, Object> values) {
}
