package dk.geofasync.core.fkg;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GeoFA code list ({@code fkg.d_*} table): the column holding the code, the column holding its text,
 * and its values. A theme column that references it (a foreign key in GeoFA) takes only these codes.
 * Codes are kept as text in canonical form (whole numbers without leading zeros), whatever the key type.
 */
public final class FkgCodeList {

    private final String name;
    private final String keyColumn;
    private final FkgType keyType;
    private final String labelColumn;
    private final List<FkgCode> codes;
    private final Map<String, FkgCode> byCode = new LinkedHashMap<>();

    public FkgCodeList(String name, String keyColumn, FkgType keyType, String labelColumn, List<FkgCode> codes) {
        this.name = name;
        this.keyColumn = keyColumn;
        this.keyType = keyType;
        this.labelColumn = labelColumn;
        this.codes = List.copyOf(codes);
        this.codes.forEach(c -> byCode.putIfAbsent(c.code(), c));
    }

    /** The table's name, e.g. {@code d_5800_facilitet}. */
    public String name() {
        return name;
    }

    public String keyColumn() {
        return keyColumn;
    }

    public FkgType keyType() {
        return keyType;
    }

    public String labelColumn() {
        return labelColumn;
    }

    /** The list's columns besides code, text and {@code aktiv}, e.g. {@code kommunekode}; each code holds them in {@link FkgCode#extra()}. */
    public java.util.Set<String> extraColumns() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        codes.forEach(c -> names.addAll(c.extra().keySet()));
        return names;
    }

    public List<FkgCode> codes() {
        return codes;
    }

    public Optional<FkgCode> find(String code) {
        return Optional.ofNullable(byCode.get(canonical(code)));
    }

    public boolean contains(String code) {
        return byCode.containsKey(canonical(code));
    }

    /** The codes in use ({@code aktiv}); GeoFA accepts the others too, but staff should not pick new ones. */
    public List<FkgCode> activeCodes() {
        return codes.stream().filter(FkgCode::active).toList();
    }

    /** The text of a value as it compares with the codes: whole numbers without leading zeros or ".0". */
    public String canonical(String value) {
        if (keyType.isWholeNumber()) {
            try {
                return new BigDecimal(value.trim()).toBigIntegerExact().toString();
            } catch (NumberFormatException | ArithmeticException e) {
                return value;
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return name + " (" + codes.size() + " codes)";
    }
}
