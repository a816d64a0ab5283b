package dk.geofasync.core.fkg;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One column of a GeoFA theme view: its type and length limit, whether a new object must have it,
 * who writes it, the code list it references (and the foreign key's name), its CHECK constraints,
 * whether it belongs to the generic part every theme shares ({@code generel}), and, for a derived
 * column, the writable column it is derived from ({@code handikap} from {@code handicap_k}).
 */
public record FkgColumn(
        String name,
        FkgType type,
        OptionalInt maxLength,
        boolean required,
        ColumnAccess access,
        Optional<String> codeList,
        Optional<String> foreignKey,
        List<FkgCheck> checks,
        boolean generic,
        Optional<String> derivedFrom) {

    public FkgColumn {
        checks = List.copyOf(checks);
    }

    public boolean writable() {
        return access == ColumnAccess.WRITE;
    }

    /** The type as GeoFA's PostgreSQL writes it, e.g. {@code varchar(254)}. */
    public String sqlType() {
        String base = type.sqlName().toLowerCase(Locale.ROOT);
        return maxLength.isPresent() ? base + "(" + maxLength.getAsInt() + ")" : base;
    }

    /** Whether a constraint of GeoFA with this name belongs to this column. */
    public boolean owns(String constraintName) {
        return foreignKey.map(constraintName::equals).orElse(false)
                || checks.stream().anyMatch(c -> c.name().equals(constraintName));
    }
}
