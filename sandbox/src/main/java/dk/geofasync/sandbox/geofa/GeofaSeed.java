package dk.geofasync.sandbox.geofa;

import java.util.Map;
import java.util.UUID;

/**
 * An object to put into the fake GeoFA as already existing: its objekt_id and its values by GeoFA
 * column (text or numbers; the geometry as EWKT, single or multi part).
 */
public record GeofaSeed(UUID objektId, Map<String, Object> values) {
    public GeofaSeed {
        values = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(values));
    }
}
