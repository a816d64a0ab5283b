package dk.geofasync.app.catalogue;

import dk.geofasync.core.fkg.CatalogueSource;
import dk.geofasync.core.fkg.ColumnAccess;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgCheck;
import dk.geofasync.core.fkg.FkgCode;
import dk.geofasync.core.fkg.FkgCodeList;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.fkg.GeometryType;
import dk.geofasync.core.mapping.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the FKG data model out of a PostgreSQL database that holds it (an install of OpenFKG's
 * fkg-postgresql, or GeoFA's own database) into a catalogue: the {@code fkg.t_*} views and their
 * {@code generel}/{@code _t} tables, their NOT NULL, CHECK and FOREIGN KEY constraints (by
 * {@code pg_constraint.conkey}, since the model's constraint names do not reliably name their column),
 * and the {@code fkg.d_*} code lists the foreign keys point at.
 */
public final class FkgModelReader {

    /** Columns GeoFA's INSTEAD OF triggers set on every write, whatever the client sends. */
    static final Set<String> SERVER_COLUMNS = Set.of("objekt_id", "versions_id", "systid_fra", "systid_til", "oprettet");
    static final String GENERIC_TABLE = "generel";

    private final Connection connection;

    public FkgModelReader(Connection connection) {
        this.connection = connection;
    }

    /** The whole model, stamped with where it came from. */
    public FkgCatalogue read(CatalogueSource source) throws SQLException {
        Map<String, String[]> themes = themes();
        if (themes.isEmpty()) {
            throw new IllegalStateException("the database holds no FKG theme views (fkg.t_NNNN_...): is the FKG model installed there?");
        }
        Map<String, Map<String, Boolean>> baseColumns = baseColumns();
        Map<String, Map<String, List<Constraint>>> constraints = constraints();
        Map<String, String> geometry = geometryTypes();
        Map<String, FkgCodeList> codeLists = codeLists(constraints);
        List<FkgTheme> result = new ArrayList<>();
        Map<String, List<ViewColumn>> viewColumns = viewColumns(themes.keySet());
        for (Map.Entry<String, String[]> t : themes.entrySet()) {
            String view = t.getKey();
            ViewSources sources = new ViewSources(viewDefinition(view));
            Map<String, Boolean> generic = baseColumns.getOrDefault(GENERIC_TABLE, Map.of());
            Map<String, Boolean> own = baseColumns.getOrDefault(view + "_t", Map.of());
            List<FkgColumn> columns = new ArrayList<>();
            for (ViewColumn vc : viewColumns.getOrDefault(view, List.of())) {
                boolean inGeneric = generic.containsKey(vc.name());
                boolean inOwn = own.containsKey(vc.name());
                ColumnAccess access = SERVER_COLUMNS.contains(vc.name()) ? ColumnAccess.SERVER
                        : inGeneric || inOwn ? ColumnAccess.WRITE : ColumnAccess.DERIVED;
                Optional<String> derivedFrom = access == ColumnAccess.DERIVED ? sources.derivedFrom(vc.name()) : Optional.empty();
                boolean isGeneric = inGeneric || (access == ColumnAccess.DERIVED
                        && derivedFrom.map(generic::containsKey).orElse(!own.containsKey(vc.name())));
                List<Constraint> cs = access == ColumnAccess.WRITE
                        ? constraints.getOrDefault(inGeneric ? GENERIC_TABLE : view + "_t", Map.of()).getOrDefault(vc.name(), List.of())
                        : List.of();
                Optional<Constraint> fk = cs.stream().filter(c -> c.kind() == 'f').findFirst();
                List<FkgCheck> checks = cs.stream().filter(c -> c.kind() == 'c').map(c -> FkgCheck.of(c.name(), c.definition())).toList();
                boolean required = access == ColumnAccess.WRITE && Boolean.TRUE.equals(inGeneric ? generic.get(vc.name()) : own.get(vc.name()));
                columns.add(new FkgColumn(vc.name(), vc.type(), vc.length(), required, access,
                        fk.map(Constraint::referencedTable), fk.map(Constraint::name), checks, isGeneric, derivedFrom));
            }
            String kind = geometry.get(view);
            GeometryType geometryType = kind == null ? GeometryType.NONE : GeometryType.fromName(kind).orElseThrow(
                    () -> new IllegalStateException("fkg." + view + " holds geometries of kind " + kind + ", which geofa-sync does not know"));
            result.add(new FkgTheme(view, Integer.parseInt(t.getValue()[0]), t.getValue()[1], geometryType, columns));
        }
        return new FkgCatalogue(source, result, List.copyOf(codeLists.values()));
    }

    /** Theme view -> [temakode, title]; the title from {@code fkg.d_tabel} where the model has it. */
    private Map<String, String[]> themes() throws SQLException {
        Map<String, String> titles = new HashMap<>();
        if (relationExists("d_tabel")) {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("select udvekslingsnavn, tema_navn from fkg.d_tabel")) {
                while (rs.next()) {
                    titles.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        Map<String, String[]> themes = new TreeMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select viewname, substring(viewname from '^t_([0-9]+)_') from pg_views "
                     + "where schemaname = 'fkg' and viewname ~ '^t_[0-9]+_' order by 1")) {
            while (rs.next()) {
                String view = rs.getString(1);
                themes.put(view, new String[] {rs.getString(2), titles.getOrDefault(view, view)});
            }
        }
        return themes;
    }

    private boolean relationExists(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select to_regclass('fkg.' || quote_ident(?)) is not null")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    record ViewColumn(String name, FkgType type, OptionalInt length) {
    }

    private Map<String, List<ViewColumn>> viewColumns(Set<String> views) throws SQLException {
        Map<String, List<ViewColumn>> columns = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "select table_name, column_name, udt_name, character_maximum_length from information_schema.columns "
                        + "where table_schema = 'fkg' and table_name = any (?) order by table_name, ordinal_position")) {
            ps.setArray(1, connection.createArrayOf("text", views.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    String column = rs.getString(2);
                    FkgType type = FkgType.fromUdtName(rs.getString(3)).orElseThrow(() -> new IllegalStateException(
                            "fkg." + table + "." + column + " has a type geofa-sync does not know: " + safe(rs, 3)));
                    int length = rs.getInt(4);
                    columns.computeIfAbsent(table, k -> new ArrayList<>()).add(new ViewColumn(column, type,
                            rs.wasNull() || !type.hasLength() ? OptionalInt.empty() : OptionalInt.of(length)));
                }
            }
        }
        return columns;
    }

    private static String safe(ResultSet rs, int column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            return "?";
        }
    }

    /** Table -> column -> NOT NULL, for {@code generel} and every theme's {@code _t} table. */
    private Map<String, Map<String, Boolean>> baseColumns() throws SQLException {
        Map<String, Map<String, Boolean>> tables = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select c.relname, a.attname, a.attnotnull from pg_attribute a "
                     + "join pg_class c on c.oid = a.attrelid where c.relnamespace = 'fkg'::regnamespace and c.relkind = 'r' "
                     + "and a.attnum > 0 and not a.attisdropped and (c.relname = 'generel' or c.relname ~ '^t_[0-9]+_.*_t$')")) {
            while (rs.next()) {
                tables.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getBoolean(3));
            }
        }
        return tables;
    }

    record Constraint(String name, char kind, String definition, String referencedTable, String referencedColumn) {
    }

    /** Table -> column -> its single-column CHECK and FOREIGN KEY constraints (the link to generel left out). */
    private Map<String, Map<String, List<Constraint>>> constraints() throws SQLException {
        Map<String, Map<String, List<Constraint>>> result = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select r.relname, a.attname, c.conname, c.contype, pg_get_constraintdef(c.oid), "
                     + "fr.relname, fa.attname from pg_constraint c join pg_class r on r.oid = c.conrelid "
                     + "join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1] "
                     + "left join pg_class fr on fr.oid = c.confrelid "
                     + "left join pg_attribute fa on fa.attrelid = c.confrelid and fa.attnum = c.confkey[1] "
                     + "where c.connamespace = 'fkg'::regnamespace and c.contype in ('c', 'f') and cardinality(c.conkey) = 1 "
                     + "and (r.relname = 'generel' or r.relname ~ '^t_[0-9]+_.*_t$') "
                     + "and (c.contype = 'c' or fr.relname <> 'generel') order by c.conname")) {
            while (rs.next()) {
                result.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                        .add(new Constraint(rs.getString(3), rs.getString(4).charAt(0), rs.getString(5), rs.getString(6), rs.getString(7)));
            }
        }
        return result;
    }

    private Map<String, String> geometryTypes() throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select f_table_name, type from public.geometry_columns where f_table_schema = 'fkg'")) {
            while (rs.next()) {
                types.put(rs.getString(1), rs.getString(2));
            }
        }
        return types;
    }

    private String viewDefinition(String view) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select definition from pg_views where schemaname = 'fkg' and viewname = ?")) {
            ps.setString(1, view);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    /** Every code list a theme column references, with its values. */
    private Map<String, FkgCodeList> codeLists(Map<String, Map<String, List<Constraint>>> constraints) throws SQLException {
        Map<String, String> keyColumns = new TreeMap<>();
        constraints.values().forEach(byColumn -> byColumn.values().forEach(cs -> cs.stream().filter(c -> c.kind() == 'f')
                .forEach(c -> keyColumns.put(c.referencedTable(), c.referencedColumn()))));
        Map<String, FkgCodeList> lists = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : keyColumns.entrySet()) {
            lists.put(e.getKey(), codeList(e.getKey(), e.getValue()));
        }
        return lists;
    }

    private FkgCodeList codeList(String table, String keyColumn) throws SQLException {
        List<String[]> columns = new ArrayList<>(); // name, udt
        try (PreparedStatement ps = connection.prepareStatement("select column_name, udt_name from information_schema.columns "
                + "where table_schema = 'fkg' and table_name = ? order by ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        FkgType keyType = columns.stream().filter(c -> c[0].equals(keyColumn)).findFirst()
                .flatMap(c -> FkgType.fromUdtName(c[1])).orElseThrow(() -> new IllegalStateException("fkg." + table + " has no key column " + keyColumn));
        String label = columns.stream().filter(c -> !c[0].equals(keyColumn) && (c[1].equals("varchar") || c[1].equals("text") || c[1].equals("bpchar")))
                .map(c -> c[0]).findFirst().orElse(keyColumn);
        boolean hasAktiv = columns.stream().anyMatch(c -> c[0].equals("aktiv"));
        // other columns a view may show (kommunekode of an authority); definitions are long prose staff read in GeoFA
        List<String> extra = columns.stream().map(c -> c[0])
                .filter(n -> !n.equals(keyColumn) && !n.equals(label) && !n.equals("aktiv") && !n.equals("begrebsdefinition")).toList();
        // names read from pg_catalog; quote() refuses anything but plain identifiers
        String key = "d." + SqlIdentifier.quote(keyColumn); // qualified: order by the key's own type, not its text
        String sql = "select " + key + "::text, d." + SqlIdentifier.quote(label) + "::text, "
                + (hasAktiv ? "d.aktiv::text" : "'1'")
                + extra.stream().map(n -> ", d." + SqlIdentifier.quote(n) + "::text").collect(java.util.stream.Collectors.joining())
                + " from fkg." + SqlIdentifier.quote(table) + " d order by " + key;
        List<FkgCode> codes = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String active = rs.getString(3);
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < extra.size(); i++) {
                    if (rs.getString(4 + i) != null) {
                        values.put(extra.get(i), rs.getString(4 + i));
                    }
                }
                codes.add(new FkgCode(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2),
                        FkgCode.activeFlag(active), values));
            }
        }
        return new FkgCodeList(table, keyColumn, keyType, label, codes);
    }
}
