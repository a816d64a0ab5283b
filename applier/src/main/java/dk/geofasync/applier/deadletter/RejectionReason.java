package dk.geofasync.applier.deadletter;

import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why GeoFA refused an object, in words for the staff who fix the VK row, naming the column where
 * GeoFA's message allows: from PostgreSQL's text ({@code Key (off_kode)=(99) is not present…}),
 * or, for a too-long text, from the values that were sent.
 *
 * @param column the VK column at fault, when known
 */
public record RejectionReason(Optional<String> column, String reason) {

    private static final Pattern CODE_LIST = Pattern.compile("Key \\((\\w+)\\)=\\((.*?)\\) is not present in table \"(\\w+)\"");
    private static final Pattern NOT_NULL = Pattern.compile("null value in column \"(\\w+)\"");
    private static final Pattern CHECK = Pattern.compile("violates check constraint \"\\w+?_t_(\\w+)_check\"");
    private static final Pattern TOO_LONG = Pattern.compile("value too long for type character(?: varying)?\\((\\d+)\\)");
    private static final Pattern GEOMETRY = Pattern.compile("Geometry type \\((\\w+)\\) does not match column type \\((\\w+)\\)");

    /** Explains GeoFA's {@code message} for an object of {@code table} sent with {@code sent} (GeoFA column -> value). */
    public static RejectionReason explain(String message, TableMapping table, Map<String, Object> sent) {
        Matcher m = CODE_LIST.matcher(message);
        if (m.find()) {
            return new RejectionReason(vkColumn(table, m.group(1)), m.group(1) + " = " + m.group(2) + " is not a value of GeoFA's code list " + m.group(3));
        }
        m = NOT_NULL.matcher(message);
        if (m.find()) {
            return new RejectionReason(vkColumn(table, m.group(1)), m.group(1) + " is required by GeoFA but has no value");
        }
        m = CHECK.matcher(message);
        if (m.find()) {
            String column = m.group(1);
            String range = table.theme().column(column).flatMap(FkgColumn::range).map(r -> " (" + r.min() + "–" + r.max() + ")").orElse("");
            return new RejectionReason(vkColumn(table, column), column + " = " + sent.get(column) + " is outside what GeoFA allows" + range);
        }
        m = TOO_LONG.matcher(message);
        if (m.find()) {
            int limit = Integer.parseInt(m.group(1));
            for (FkgColumn c : table.theme().columns()) {
                Object value = sent.get(c.name());
                if (value != null && c.maxLength().isPresent() && c.maxLength().getAsInt() == limit && value.toString().length() > limit) {
                    return new RejectionReason(vkColumn(table, c.name()), c.name() + " has " + value.toString().length()
                            + " characters; GeoFA allows " + limit);
                }
            }
            return new RejectionReason(Optional.empty(), "a text is longer than GeoFA's " + limit + " characters");
        }
        m = GEOMETRY.matcher(message);
        if (m.find()) {
            return new RejectionReason(vkColumn(table, "geometri"), "the geometry is a " + m.group(1) + "; GeoFA's theme holds " + m.group(2));
        }
        if (message.contains("LIMIT ERROR")) {
            return new RejectionReason(vkColumn(table, "geometri"), "the geometry lies outside the municipality's area in GeoFA (LIMIT ERROR)");
        }
        if (message.contains("COUNT 0 ERROR")) {
            return new RejectionReason(vkColumn(table, "objekt_id").or(() -> Optional.of(table.objektIdColumn())),
                    "GeoFA has no current object with this objekt_id (deleted there, or never created)");
        }
        return new RejectionReason(Optional.empty(), "GeoFA refused the object: " + message.lines().findFirst().orElse(message));
    }

    private static Optional<String> vkColumn(TableMapping table, String geofaColumn) {
        return table.columnFromGeofa(geofaColumn).map(ColumnMapping::vkColumn);
    }
}
