package dk.geofasync.core.mapping;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A rule applied to a VK value on its way to GeoFA, named in the mapping file in lower case. */
public enum Transform {
    /** Removes leading and trailing white space. */
    TRIM,
    /** An empty text becomes null (GeoFA then stores no value rather than ''). */
    EMPTY_AS_NULL,
    UPPER,
    LOWER;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Transform> fromConfigName(String name) {
        return Arrays.stream(values()).filter(t -> t.configName().equals(name)).findFirst();
    }

    String apply(String value) {
        return switch (this) {
            case TRIM -> value.strip();
            case EMPTY_AS_NULL -> value.isEmpty() ? null : value;
            case UPPER -> value.toUpperCase(Locale.ROOT);
            case LOWER -> value.toLowerCase(Locale.ROOT);
        };
    }
}
