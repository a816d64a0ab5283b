package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgTheme;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * What GC2's meta API says about relations of schema {@code fkg}, read from the fake's database as GC2
 * reads its own (mapcentia/geocloud2: {@code app/models/Layer.php} getAll, {@code app/inc/Model.php}
 * getMetaData, shaped by {@code app/api/v3/Meta.php} processRow). The relations are the theme views
 * and their tables ({@code t_*_t}, {@code generel}); GeoFA's schema has more (the code-list tables),
 * which geofa-sync does not ask about. GC2 describes a view's columns by name, number and type only:
 * NOT NULL, CHECK and foreign keys live on tables, so only a table's columns carry
 * {@code is_nullable}, {@code checks} and {@code reference}. Properties geofa-sync never reads
 * (numeric precision, byte sizes, index details) are left out.
 */
final class RelationDescriptions {

    private static final String SCHEMA = FakeGeofaSchema.SCHEMA;
    /** GC2's geometry column name for a relation without one ({@code non_postgis_tables}). */
    private static final String NO_GEOMETRY = "gc2_non_postgis";
    /** GC2 keeps from a CHECK's definition what its first parentheses hold (getMetaData). */
    private static final Pattern CHECK_TEXT = Pattern.compile("\\((.*?)\\)");
    private static final Pattern GEOMETRY_TYPE = Pattern.compile("[A-Z]\\w+");
    private static final Pattern SRID = Pattern.compile("[0-9]+");

    private final DataSource dataSource;
    private final FkgCatalogue catalogue;

    RelationDescriptions(DataSource dataSource, FkgCatalogue catalogue) {
        this.dataSource = dataSource;
        this.catalogue = catalogue;
    }

    /**
     * The {@code relations} object for GC2's query syntax: comma-separated schema names or
     * schema-qualified relation names ({@code tag:} parts match nothing here). Keyed as GC2 keys
     * them, {@code schema.relation.geometry_column}.
     */
    ObjectNode describe(String query) throws SQLException {
        boolean wholeSchema = false;
        List<String> names = new ArrayList<>();
        for (String part : query.split(",")) {
            String p = part.strip();
            if (p.equals(SCHEMA)) {
                wholeSchema = true;
            } else if (p.startsWith(SCHEMA + ".")) {
                names.add(p.substring(SCHEMA.length() + 1));
            }
        }
        ObjectNode relations = JsonExchange.JSON.createObjectNode();
        try (Connection c = dataSource.getConnection()) {
            Map<String, ObjectNode> byName = relations(c, wholeSchema, names);
            if (byName.isEmpty()) {
                return relations;
            }
            Array relnames = c.createArrayOf("text", byName.keySet().toArray());
            Map<String, Map<String, List<String>>> references = perColumn(c, FOREIGN_KEYS, relnames, reference -> reference);
            Map<String, Map<String, List<String>>> checks = perColumn(c, CHECKS, relnames, RelationDescriptions::checkText);
            fields(c, relnames, byName, references, checks);
            for (ObjectNode relation : byName.values()) {
                relations.set(SCHEMA + "." + relation.get("f_table_name").asText() + "." + relation.get("f_geometry_column").asText(), relation);
            }
        }
        return relations;
    }

    private static final String RELATIONS = """
            select c.relname, case c.relkind when 'v' then 'VIEW' else 'TABLE' end, g.f_geometry_column, g.coord_dimension, g.srid, g.type,
                   (select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
                    where i.indrelid = c.oid and i.indisprimary limit 1)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            left join public.geometry_columns g on g.f_table_schema = n.nspname and g.f_table_name = c.relname
            where n.nspname = ? and c.relkind in ('v', 'r') and (c.relname ~ '^t_[0-9]+_' or c.relname = 'generel')
              and (? or c.relname = any (?))
            order by c.relname""";

    private Map<String, ObjectNode> relations(Connection c, boolean wholeSchema, List<String> names) throws SQLException {
        Map<String, ObjectNode> relations = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(RELATIONS)) {
            ps.setString(1, SCHEMA);
            ps.setBoolean(2, wholeSchema);
            ps.setArray(3, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String relType = rs.getString(2);
                    String geometryColumn = rs.getString(3) == null ? NO_GEOMETRY : rs.getString(3);
                    ObjectNode r = JsonExchange.JSON.createObjectNode()
                            .put("uuid", UUID.nameUUIDFromBytes((SCHEMA + "." + name).getBytes(StandardCharsets.UTF_8)).toString())
                            .put("f_table_schema", SCHEMA).put("f_table_name", name).put("f_geometry_column", geometryColumn)
                            .putNull("f_table_abstract");
                    r.put("f_table_title", catalogue.theme(name).map(FkgTheme::title).orElse(null));
                    // GC2 bets on a column gid for a view, which has no primary key of its own (Model::getPrimeryKey)
                    r.put("pkey", relType.equals("VIEW") ? "gid" : rs.getString(7)).put("rel_type", relType);
                    if (rs.getString(3) == null) {
                        r.putNull("coord_dimension").putNull("type").putNull("srid");
                    } else {
                        r.put("coord_dimension", rs.getInt(4)).put("type", rs.getString(6)).put("srid", rs.getInt(5));
                    }
                    r.put("authentication", "Write").putNull("layergroup").put("sort_id", 0).putNull("tags");
                    r.putObject("fields");
                    r.putNull("children").putNull("meta");
                    relations.put(name, r);
                }
            }
        }
        return relations;
    }

    private static final String FIELDS = """
            select c.relname, a.attname, a.attnum, a.atttypid::regtype::text, t.typname, format_type(a.atttypid, a.atttypmod),
                   case when a.atttypid = 1043 and a.atttypmod > 0 then a.atttypmod - 4 end, not a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                   c.relkind = 'r'
            from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
            join pg_type t on t.oid = a.atttypid
            left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
            where n.nspname = ? and c.relname = any (?) and a.attnum > 0 and not a.attisdropped
            order by c.relname, a.attnum""";

    private static void fields(Connection c, Array relnames, Map<String, ObjectNode> relations,
                               Map<String, Map<String, List<String>>> references, Map<String, Map<String, List<String>>> checks) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIELDS)) {
            ps.setString(1, SCHEMA);
            ps.setArray(2, relnames);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String relation = rs.getString(1);
                    String column = rs.getString(2);
                    String fullType = rs.getString(6);
                    ObjectNode f = ((ObjectNode) relations.get(relation).get("fields")).putObject(column);
                    f.put("type", rs.getString(4)).putNull("comment").put("num", rs.getInt(3)).put("full_type", fullType)
                            .put("typname", rs.getString(5)).put("is_array", rs.getString(4).endsWith("[]"));
                    int length = rs.getInt(7);
                    if (rs.wasNull()) {
                        f.putNull("character_maximum_length");
                    } else {
                        f.put("character_maximum_length", length);
                    }
                    list(f, "reference", references.getOrDefault(relation, Map.of()).get(column));
                    f.putNull("restriction"); // values of a foreign key GC2's meta does not look up (lookupForeignTables false)
                    if (rs.getBoolean(10)) { // "The following is only set on tables"
                        f.put("is_nullable", rs.getBoolean(8)).put("default_value", rs.getString(9));
                        list(f, "checks", checks.getOrDefault(relation, Map.of()).get(column));
                    }
                    if (rs.getString(5).equals("geometry")) {
                        f.put("geom_type", first(GEOMETRY_TYPE, fullType)).put("srid", first(SRID, fullType));
                    }
                    // the layer's field settings, none of which the fake has
                    f.putNull("alias").put("queryable", false).putNull("sort_id").putNull("desc").putNull("properties");
                }
            }
        }
    }

    private static void list(ObjectNode field, String name, List<String> values) {
        if (values == null) {
            field.putNull(name);
        } else {
            ArrayNode array = field.putArray(name);
            values.forEach(array::add);
        }
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group() : null;
    }

    /** Child column -> {@code schema.table.column} it references, as getForeignConstrains and getMetaData give it. */
    private static final String FOREIGN_KEYS = """
            select c.relname, a.attname, pn.nspname || '.' || pc.relname || '.' || pa.attname
            from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
            join pg_class pc on pc.oid = k.confrelid join pg_namespace pn on pn.oid = pc.relnamespace
            cross join lateral unnest(k.conkey, k.confkey) as u (child, parent)
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.child
            join pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = u.parent
            where k.contype = 'f' and n.nspname = ? and c.relname = any (?)
            order by k.conname""";

    /** Column -> what GC2 keeps of each CHECK on it: the text in the definition's first parentheses. */
    private static final String CHECKS = """
            select c.relname, a.attname, pg_get_constraintdef(k.oid, true)
            from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
            cross join lateral unnest(k.conkey) as u (key)
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.key
            where k.contype = 'c' and n.nspname = ? and c.relname = any (?)
            order by k.conname""";

    private static Map<String, Map<String, List<String>>> perColumn(Connection c, String sql, Array relnames,
                                                                    UnaryOperator<String> shown) throws SQLException {
        Map<String, Map<String, List<String>>> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, SCHEMA);
            ps.setArray(2, relnames);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(shown.apply(rs.getString(3)));
                }
            }
        }
        return result;
    }

    private static String checkText(String definition) {
        Matcher m = CHECK_TEXT.matcher(definition);
        return m.find() ? m.group(1) : null;
    }
}
