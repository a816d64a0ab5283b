package dk.geofasync.capture.install;

import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.mapping.TableMapping;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a VK column can receive the GeoFA column the mapping's {@code write_back} sends it: it must
 * exist, and its type must take GeoFA's values (the same type, text, a wider number, a time), so the
 * write-back never meets a value VK refuses. Checked before the triggers are installed.
 */
final class WriteBackColumns {

    private static final Set<String> TEXT = Set.of("text", "varchar", "bpchar");
    private static final Set<String> TIMES = Set.of("timestamptz", "timestamp", "date");

    private WriteBackColumns() {
    }

    /**
     * @param vkUdt the VK column's {@code udt_name}, empty when the table has no such column
     * @return why the VK column cannot receive the GeoFA column, or empty when it can
     */
    static Optional<String> problem(TableMapping table, String geofaColumn, String vkColumn, Optional<String> vkUdt) {
        FkgColumn source = table.theme().column(geofaColumn).orElseThrow(); // the mapping was validated against the theme
        if (vkUdt.isEmpty()) {
            return Optional.of("VK table " + table.table() + " has no column " + vkColumn + " (write_back of GeoFA's " + geofaColumn
                    + "): alter table " + table.table() + " add column " + vkColumn + " " + source.sqlType());
        }
        if (fits(vkUdt.get(), source.type())) {
            return Optional.empty();
        }
        return Optional.of("VK column " + vkColumn + " is " + vkUdt.get() + " and cannot hold GeoFA's " + geofaColumn + " ("
                + source.sqlType() + "); make it " + source.sqlType() + " or text");
    }

    private static boolean fits(String udt, FkgType geofa) {
        if (TEXT.contains(udt)) {
            return true;
        }
        if (geofa == FkgType.TIMESTAMPTZ || geofa == FkgType.DATE) {
            return TIMES.contains(udt) && !(geofa == FkgType.TIMESTAMPTZ && udt.equals("date"));
        }
        Optional<FkgType> vk = FkgType.fromUdtName(udt);
        if (vk.isEmpty()) {
            return false;
        }
        if (vk.get() == geofa) {
            return true;
        }
        if (vk.get().isNumber() && geofa.isNumber()) {
            // a wider number: an integer fits a bigint or a fraction type, a fraction only a fraction type
            return !vk.get().isWholeNumber() || (vk.get() == FkgType.BIGINT && geofa.isWholeNumber());
        }
        return false;
    }
}
