package dk.geofasync.core.mapping;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One VK column sent to one GeoFA column, with the transforms and the value map applied on the way
 * (in that order). A value that the map does not name passes unchanged.
 */
public record ColumnMapping(String vkColumn, String geofaColumn, List<Transform> transforms, Map<String, String> valueMap) {

    public ColumnMapping {
        transforms = List.copyOf(transforms);
        valueMap = Map.copyOf(valueMap);
    }

    public static ColumnMapping direct(String vkColumn, String geofaColumn) {
        return new ColumnMapping(vkColumn, geofaColumn, List.of(), Map.of());
    }

    /** The value to send GeoFA for a VK value (as text; empty means SQL null). */
    public Optional<String> apply(Optional<String> vkValue) {
        String value = vkValue.orElse(null);
        for (Transform t : transforms) {
            if (value == null) {
                break;
            }
            value = t.apply(value);
        }
        if (value != null && valueMap.containsKey(value)) {
            value = valueMap.get(value);
        }
        return Optional.ofNullable(value);
    }
}
