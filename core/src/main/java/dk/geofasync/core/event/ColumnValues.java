package dk.geofasync.core.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Column values of a VK row as text, by VK column. A column can be present with no value (SQL
 * null), which differs from absent; {@link #value} answers empty for both, {@link #has} tells them
 * apart. Geometry is GeoJSON text in EPSG:25832.
 */
public final class ColumnValues {

    private static final ColumnValues NONE = new ColumnValues(Map.of());

    private final Map<String, String> values;

    private ColumnValues(Map<String, String> values) {
        this.values = values;
    }

    /** From a map whose values may be null (SQL null). */
    public static ColumnValues of(Map<String, String> values) {
        return values.isEmpty() ? NONE : new ColumnValues(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    public static ColumnValues none() {
        return NONE;
    }

    public boolean has(String column) {
        return values.containsKey(column);
    }

    public Optional<String> value(String column) {
        return Optional.ofNullable(values.get(column));
    }

    public Set<String> columns() {
        return values.keySet();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The values as a map with nulls, for serialisation. */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnValues other && other.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.keySet().toString();
    }
}
