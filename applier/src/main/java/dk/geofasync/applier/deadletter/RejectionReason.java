package dk.geofasync.applier.deadletter;

import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why GeoFA refused an object, in words for the staff who fix the VK row, naming the column: from
 * PostgreSQL's text ({@code Key (off_kode)=(99) is not present…}), from the constraint's name through
 * the catalogue (GeoFA may send the message without PostgreSQL's DETAIL line), or, for a too-long
 * text, from the values that were sent.
 *
 * @param column the VK column at fault, when known
 */
public record RejectionReason(Optional<String> column, String reason) {

    private static final Pattern CODE_LIST = Pattern.compile("Key \\((\\w+)\\)=\\((.*?)\\) is not present in table \"(\\w+)\"");
    private static final Pattern NOT_NULL = Pattern.compile("null value in column \"(\\w+)\"");
    private static final Pattern CHECK = Pattern.compile("violates check constraint \"(\\w+)\"");
    private static final Pattern FOREIGN_KEY = Pattern.compile("violates foreign key constraint \"(\\w+)\"");
    private static final Pattern TOO_LONG = Pattern.compile("value too long for type character(?: varying)?\\((\\d+)\\)");
    private static final Pattern GEOMETRY = Pattern.compile("Geometry type \\((\\w+)\\) does not match column type \\((\\w+)\\)");
    private static final Pattern SRID = Pattern.compile("Geometry SRID \\((\\d+)\\) does not match column SRID \\((\\d+)\\)");

    /** Explains GeoFA's {@code message} for an object of {@code table} sent with {@code sent} (GeoFA column -> value). */
    public static RejectionReason explain(String message, TableMapping table, Map<String, Object> sent) {
        Matcher m = CODE_LIST.matcher(message);
        if (m.find()) {
            String value = table.sensitiveColumns().contains(m.group(1)) ? "" : " = " + m.group(2);
            return new RejectionReason(vkColumn(table, m.group(1)), m.group(1) + value + " is not a value of GeoFA's code list " + m.group(3));
        }
        m = NOT_NULL.matcher(message);
        if (m.find()) {
            return new RejectionReason(vkColumn(table, m.group(1)), m.group(1) + " is required by GeoFA but has no value");
        }
        m = FOREIGN_KEY.matcher(message);
        if (m.find()) {
            Optional<FkgColumn> column = table.theme().columnOfConstraint(m.group(1));
            if (column.isPresent()) {
                String value = table.sensitiveColumns().contains(column.get().name()) ? "" : " = " + sent.get(column.get().name());
                return new RejectionReason(vkColumn(table, column.get().name()), column.get().name() + value
                        + " is not a value of GeoFA's code list " + column.get().codeList().orElse("(" + m.group(1) + ")"));
            }
            return new RejectionReason(Optional.empty(), "a value is not in one of GeoFA's code lists (" + m.group(1) + ")");
        }
        m = CHECK.matcher(message);
        if (m.find()) {
            String constraint = m.group(1);
            Optional<FkgColumn> checked = table.theme().columnOfConstraint(constraint)
                    .or(() -> checkedColumn(table, constraint).flatMap(table.theme()::column));
            if (checked.isEmpty()) {
                return new RejectionReason(Optional.empty(), "GeoFA's rule " + m.group(1) + " refused the object");
            }
            String column = checked.get().name();
            String rule = checked.get().checks().stream().filter(c -> c.name().equals(constraint)).findFirst()
                    .map(c -> " (it must be " + c.describe() + ")").orElse("");
            // the value says what to fix, unless it is personal: then the column must do
            String value = table.sensitiveColumns().contains(column) ? "" : " = " + sent.get(column);
            return new RejectionReason(vkColumn(table, column), column + value + " is outside what GeoFA allows" + rule);
        }
        m = TOO_LONG.matcher(message);
        if (m.find()) {
            int limit = Integer.parseInt(m.group(1));
            for (FkgColumn c : table.theme().columns()) {
                Object value = sent.get(c.name());
                // PostgreSQL counts characters (code points), not Java's UTF-16 units: an emoji is one
                int characters = value == null ? 0 : value.toString().codePointCount(0, value.toString().length());
                if (c.maxLength().isPresent() && c.maxLength().getAsInt() == limit && characters > limit) {
                    return new RejectionReason(vkColumn(table, c.name()), c.name() + " has " + characters
                            + " characters; GeoFA allows " + limit);
                }
            }
            return new RejectionReason(Optional.empty(), "a text is longer than GeoFA's " + limit + " characters");
        }
        m = GEOMETRY.matcher(message);
        if (m.find()) {
            return new RejectionReason(vkColumn(table, "geometri"), "the geometry is a " + m.group(1) + "; GeoFA's theme holds " + m.group(2));
        }
        m = SRID.matcher(message);
        if (m.find()) {
            return new RejectionReason(vkColumn(table, "geometri"), "the geometry is in EPSG:" + m.group(1) + "; GeoFA's theme holds EPSG:" + m.group(2));
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

    /**
     * The theme column a CHECK constraint the catalogue does not know is about, read from its name: the FKG model names them
     * {@code <theme>[_t]_<column>[_<rule>]_ck} ({@code t_5800_fac_pkt_antal_pl_ck},
     * {@code t_5801_fac_fl_t_saeson_st_aar_skal_vaere_1_ck}); the longest column that fits wins.
     */
    static Optional<String> checkedColumn(TableMapping table, String constraint) {
        String theme = table.theme().name() + "_";
        String rest = constraint.startsWith(theme) ? constraint.substring(theme.length()) : constraint;
        List<String> candidates = rest.startsWith("t_") ? List.of(rest, rest.substring(2)) : List.of(rest);
        return table.theme().columns().stream().map(FkgColumn::name)
                .filter(c -> candidates.stream().anyMatch(r -> r.equals(c) || r.startsWith(c + "_")))
                .max(Comparator.comparingInt(String::length));
    }

    private static Optional<String> vkColumn(TableMapping table, String geofaColumn) {
        return table.columnFromGeofa(geofaColumn).map(ColumnMapping::vkColumn);
    }
}
