package dk.geofasync.core.mapping;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One VK column sent to one GeoFA column, with the rules applied on the way, in this order: the
 * transforms; then the value map, whose values are GeoFA's and final; a value the map does not name
 * is multiplied by the scale when there is one (VK metres to GeoFA kilometres: 0.001), else passes
 * unchanged.
 */
public record ColumnMapping(String vkColumn, String geofaColumn, List<Transform> transforms, Map<String, String> valueMap,
                            Optional<BigDecimal> scale) {

    public ColumnMapping {
        transforms = List.copyOf(transforms);
        valueMap = Map.copyOf(valueMap);
    }

    public ColumnMapping(String vkColumn, String geofaColumn, List<Transform> transforms, Map<String, String> valueMap) {
        this(vkColumn, geofaColumn, transforms, valueMap, Optional.empty());
    }

    public static ColumnMapping direct(String vkColumn, String geofaColumn) {
        return new ColumnMapping(vkColumn, geofaColumn, List.of(), Map.of());
    }

    /**
     * The value to send GeoFA for a VK value (as text; empty means SQL null). Every path that sends a
     * value or compares one with GeoFA's goes through here, so what is sent and what is compared agree.
     */
    public Optional<String> apply(Optional<String> vkValue) {
        String value = vkValue.orElse(null);
        for (Transform t : transforms) {
            if (value == null) {
                break;
            }
            value = t.apply(value);
        }
        if (value == null) {
            return Optional.empty();
        }
        if (valueMap.containsKey(value)) {
            return Optional.of(valueMap.get(value));
        }
        return Optional.of(scale.isPresent() ? scaled(value, scale.get()) : value);
    }

    /**
     * {@code value} times {@code factor}, computed in decimal so 1234 m becomes exactly 1.234 km. A value
     * that is no number passes unchanged: GeoFA refuses it, and the dead letter names the column.
     */
    private static String scaled(String value, BigDecimal factor) {
        try {
            return new BigDecimal(value.strip()).multiply(factor).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
