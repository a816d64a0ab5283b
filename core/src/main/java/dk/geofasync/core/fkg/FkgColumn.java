package dk.geofasync.core.fkg;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One column of a GeoFA theme view: its type, length limit, whether a new object must have it,
 * who writes it, the code list or range GeoFA checks it against, and whether it belongs to the
 * generic part every theme shares ({@code generel} in GeoFA) or to the theme's own part.
 */
public record FkgColumn(
        String name,
        FkgType type,
        OptionalInt maxLength,
        boolean required,
        ColumnAccess access,
        Optional<String> codeList,
        Optional<IntRange> range,
        boolean generic) {

    public boolean writable() {
        return access == ColumnAccess.WRITE;
    }

    /** The type as GeoFA's PostgreSQL writes it, e.g. {@code varchar(254)}. */
    public String sqlType() {
        String base = type.name().toLowerCase(java.util.Locale.ROOT);
        return maxLength.isPresent() ? base + "(" + maxLength.getAsInt() + ")" : base;
    }
}
