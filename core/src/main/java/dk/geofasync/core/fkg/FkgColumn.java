package dk.geofasync.core.fkg;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One column of a GeoFA theme view: its type, length limit, whether a new object must have it,
 * who writes it, and the code list or range GeoFA checks it against.
 */
public record FkgColumn(
        String name,
        FkgType type,
        OptionalInt maxLength,
        boolean required,
        ColumnAccess access,
        Optional<String> codeList,
        Optional<IntRange> range) {

    public boolean writable() {
        return access == ColumnAccess.WRITE;
    }

    /** The type as GeoFA's PostgreSQL writes it, e.g. {@code varchar(254)}. */
    public String sqlType() {
        String base = type.name().toLowerCase(java.util.Locale.ROOT);
        return maxLength.isPresent() ? base + "(" + maxLength.getAsInt() + ")" : base;
    }
}
