package dk.geofasync.app.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.fkg.GeometryType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GC2's answer to {@code GET /api/v3/meta/fkg} read into relations and their columns. GC2 has given it
 * in two shapes (mapcentia/geocloud2): up to 2026 {@code app/api/v3/Meta.php} passes
 * {@code Model::getMetaData} on as it is ({@code f_table_name}, {@code type}, fields with {@code typname},
 * {@code full_type}, {@code num}, {@code reference}); since then {@code app/api/v4/controllers/Meta.php}
 * at {@code /api/v4/meta} renames ({@code _rel}, {@code _geom_type}) and prefixes a field's schema facts
 * with {@code _} ({@code _type}, {@code _is_nullable}), dropping type names, numbers and references.
 * Both are read; what a shape lacks stays empty.
 */
final class GeofaMeta {

    /** GC2's geometry column name for a relation without geometry. */
    private static final String NO_GEOMETRY = "gc2_non_postgis";
    private static final Pattern LENGTH = Pattern.compile("\\((\\d+)\\)");

    /** A view or table as meta describes it; {@code geometry} is empty when meta names a type geofa-sync does not know. */
    record Relation(String name, Optional<String> relType, Optional<GeometryType> geometry, String geometryText,
                    Optional<String> title, List<Column> columns) {

        Optional<Column> column(String columnName) {
            return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
        }
    }

    /**
     * A column: its type ({@code typeText} as GC2 wrote it, {@code type} when geofa-sync knows it), length limit,
     * and, for a table's column only, whether it takes NULL and what its foreign keys reference ({@code schema.table.column});
     * {@code references} is empty where meta does not say (GC2's newer shape drops them), an empty list where it says "none".
     */
    record Column(String name, String typeText, Optional<FkgType> type, OptionalInt length, Optional<Boolean> nullable,
                  Optional<List<String>> references) {
    }

    private GeofaMeta() {
    }

    /** The relations of {@code schema} in meta's answer. */
    static List<Relation> relations(JsonNode answer, String schema) {
        List<Relation> relations = new ArrayList<>();
        for (JsonNode r : answer.path("relations")) { // an object by key, or [] when nothing matched (PHP's empty array)
            if (schema.equals(text(r, "f_table_schema", "_schema").orElse(""))) {
                text(r, "f_table_name", "_rel").ifPresent(name -> relations.add(relation(name, r)));
            }
        }
        return relations;
    }

    private static Relation relation(String name, JsonNode r) {
        record Numbered(int num, Column column) {
        }
        List<Numbered> numbered = new ArrayList<>();
        JsonNode fields = r.path("fields");
        fields.fieldNames().forEachRemaining(field -> numbered.add(
                new Numbered(fields.get(field).path("num").asInt(Integer.MAX_VALUE), column(field, fields.get(field)))));
        // GC2 orders fields by the layer's sort settings; the column number, where given, is the view's own order (a stable sort keeps GC2's otherwise)
        List<Column> ordered = numbered.stream().sorted(Comparator.comparingInt(Numbered::num)).map(Numbered::column).toList();
        String geometryColumn = text(r, "f_geometry_column", "_geometry_column").orElse(NO_GEOMETRY);
        String geometryText = text(r, "type", "_geom_type").orElse("");
        Optional<GeometryType> geometry = geometryColumn.equals(NO_GEOMETRY) || geometryText.isBlank()
                ? Optional.of(GeometryType.NONE) : GeometryType.fromName(geometryText);
        return new Relation(name, text(r, "rel_type", "_rel_type"), geometry, geometryText, text(r, "f_table_title", "title"), ordered);
    }

    private static Column column(String name, JsonNode f) {
        String typeText = text(f, "type", "_type").orElse("");
        boolean array = f.path("is_array").asBoolean(false) || typeText.endsWith("[]");
        Optional<FkgType> type = array ? Optional.empty()
                : text(f, "typname").flatMap(FkgType::fromUdtName).or(() -> typeOfName(typeText));
        OptionalInt length = OptionalInt.empty();
        JsonNode max = field(f, "character_maximum_length");
        if (max.canConvertToInt() && max.asInt() > 0) {
            length = OptionalInt.of(max.asInt());
        } else if (type.isPresent() && type.get().hasLength()) {
            // GC2 counts varchar's limit only; char(7)'s is in the full type
            Matcher m = LENGTH.matcher(text(f, "full_type").orElse(""));
            length = m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        }
        JsonNode nullable = field(f, "is_nullable");
        Optional<List<String>> references = Optional.empty();
        if (f.has("reference") || f.has("_reference")) {
            List<String> named = new ArrayList<>();
            field(f, "reference").forEach(ref -> named.add(ref.asText()));
            references = Optional.of(List.copyOf(named));
        }
        return new Column(name, typeText, type, length, nullable.isBoolean() ? Optional.of(nullable.asBoolean()) : Optional.empty(),
                references);
    }

    /** A type as PostgreSQL's {@code regtype} prints it ({@code character varying}), the name GC2's newer meta gives alone. */
    static Optional<FkgType> typeOfName(String typeText) {
        String name = typeText.toLowerCase(Locale.ROOT).replaceFirst("^public\\.", "");
        return Optional.ofNullable(switch (name) {
            case "smallint", "integer" -> FkgType.INTEGER;
            case "bigint" -> FkgType.BIGINT;
            case "real", "double precision" -> FkgType.DOUBLE;
            case "numeric" -> FkgType.NUMERIC;
            case "character varying" -> FkgType.VARCHAR;
            case "character" -> FkgType.CHAR;
            case "text" -> FkgType.TEXT;
            case "boolean" -> FkgType.BOOLEAN;
            case "date" -> FkgType.DATE;
            case "uuid" -> FkgType.UUID;
            case "json", "jsonb" -> FkgType.JSONB;
            case "timestamp with time zone" -> FkgType.TIMESTAMPTZ;
            case "geometry" -> FkgType.GEOMETRY;
            default -> null;
        });
    }

    /** A field of GC2's older shape, or the newer one's {@code _}-prefixed twin. */
    private static JsonNode field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull() ? v : node.path("_" + name);
    }

    private static Optional<String> text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = field(node, name);
            if (v.isValueNode() && !v.isNull() && !v.asText().isEmpty()) {
                return Optional.of(v.asText());
            }
        }
        return Optional.empty();
    }
}
