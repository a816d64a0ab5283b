package dk.geofasync.applier.apply;

import dk.geofasync.core.fkg.ColumnAccess;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The v4 SQL statements for one mapped table's GeoFA theme. Names come from the validated mapping
 * and the theme catalogue; every value travels as a {@code :named} parameter. The geometry is sent
 * as GeoJSON and made Multi* by PostGIS in GeoFA ({@code st_multi}), as the theme requires.
 */
final class GeofaStatements {

    /** geofa-sync's correlation key column in GeoFA: {@code schema.table:key}, to find an object again. */
    static final String NOEGLE = "noegle";

    /** Parameters of an update besides the values: the object, and the version geofa-sync last saw of it (null: none known). */
    static final String OBJEKT_ID = "objekt_id";
    static final String KNOWN_VERSION = "geofa_sync_known_version";
    static final String OBJEKT_ID_AGAIN = "geofa_sync_objekt_id";

    private final TableMapping table;

    GeofaStatements(TableMapping table) {
        this.table = table;
    }

    /** Every GeoFA column a create writes: the mapped ones, the constants and noegle. */
    List<String> createColumns() {
        List<String> columns = new ArrayList<>();
        table.columns().stream().map(ColumnMapping::geofaColumn).forEach(columns::add);
        columns.addAll(table.constants().keySet());
        columns.add(NOEGLE);
        return columns;
    }

    /**
     * Creates the objects of {@code :rows} (a JSON array of objects holding the create columns'
     * values, one text parameter) that GeoFA has no current object of yet, by {@code noegle}; each
     * new object comes back with its noegle. So a create sent again, or one GeoFA runs late, never
     * makes a second object: with {@link #lockCreates} first in the request, two creates of one
     * noegle never run at once, and the later one sees the earlier one's object. One statement for
     * all rows: the existence check is one anti-join, not one look-up per row (GeoFA has no index on
     * noegle).
     */
    String insert() {
        List<String> columns = createColumns();
        String view = "fkg." + table.theme().name();
        // noegle names a VK row of one municipality only; GeoFA's themes are national, so the municipality's cvr_kode goes with it
        String ours = columns.contains(CVR_KODE) ? " and t." + CVR_KODE + " = " + fromRow(CVR_KODE) : "";
        return "insert into " + view + " (" + String.join(", ", columns) + ") select "
                + columns.stream().map(this::fromRow).collect(Collectors.joining(", "))
                + " from json_array_elements(cast(:rows as json)) as r(v) where not exists (select 1 from " + view + " as t where t." + NOEGLE
                + " = r.v->>'" + NOEGLE + "'" + ours + ") returning objekt_id, versions_id, " + NOEGLE + also(returnedWriteBack(), "objekt_id", "versions_id", NOEGLE);
    }

    /** GeoFA's column of the municipality (its CVR number), set by the mapping's constants. */
    static final String CVR_KODE = "cvr_kode";

    /** The mapping's cvr_kode, when it sets one: it scopes look-ups and create locks to this municipality's objects. */
    Optional<String> cvrKode() {
        return Optional.ofNullable(table.constants().get(CVR_KODE));
    }

    /** The parameters of {@link #lockCreates}: the correlation keys (a JSON array) and the municipality ("" without a cvr_kode). */
    Map<String, Object> lockParams(String noeglerJson) {
        return Map.of("noegler", noeglerJson, CVR_KODE, cvrKode().orElse(""));
    }

    /** The parameters of {@link #lookupAll}: exactly those it names (GC2's PDO refuses any other). */
    Map<String, Object> lookupParams(String noeglerJson) {
        return cvrKode().<Map<String, Object>>map(cvr -> Map.of("noegler", noeglerJson, CVR_KODE, cvr)).orElse(Map.of("noegler", noeglerJson));
    }

    /**
     * Takes GeoFA's transaction-scoped advisory locks of the buckets of {@code :noegler} (a JSON array
     * of correlation keys, one text parameter), in ascending order so two requests cannot deadlock.
     * Every request that creates objects starts with it, and so does every look-up of a create whose
     * answer was lost: a create sent again, or the look-up, waits for one GeoFA is still working on,
     * then sees what it made. 64 buckets keep GeoFA's lock table small.
     */
    static String lockCreates() {
        // the first key is the municipality's (its cvr_kode): another municipality's creates never wait for these
        return "select count(pg_advisory_xact_lock(hashtext('geofa-sync ' || :" + CVR_KODE + "), b)) as locked from (select distinct hashtext(k) & 63 as b"
                + " from json_array_elements_text(cast(:noegler as json)) as n(k) order by 1) as buckets";
    }

    /**
     * The write_back columns a create's or update's RETURNING gives reliably: those GeoFA sets
     * (oprettet, systid_fra ...) and writable ones. The FKG model's write trigger returns the row
     * before the view derives its columns (null after a create, the old value after an update), so
     * derived ones are read after the statement ({@link #readBack}).
     */
    List<String> returnedWriteBack() {
        return table.writeBack().keySet().stream().filter(c -> !derived(c)).toList();
    }

    /** The write_back columns GeoFA's view derives (kommunekode, status ...): read after the statement. */
    List<String> derivedWriteBack() {
        return table.writeBack().keySet().stream().filter(this::derived).toList();
    }

    /** The derived write_back columns of the objects {@code :ids} (a JSON array of objekt_ids, one text parameter). */
    String readBack() {
        return "select objekt_id" + also(derivedWriteBack(), "objekt_id") + " from fkg." + table.theme().name()
                + " where objekt_id in (select cast(json_array_elements_text(cast(:ids as json)) as uuid))";
    }

    private boolean derived(String column) {
        return table.theme().column(column).map(c -> c.access() == ColumnAccess.DERIVED).orElse(false);
    }

    /** {@code ", a, b"}: the columns to add to a select or returning list that already names {@code named}. */
    private static String also(List<String> columns, String... named) {
        List<String> already = List.of(named);
        return columns.stream().filter(c -> !already.contains(c)).map(c -> ", " + c).collect(Collectors.joining());
    }

    /** The current version and every write_back column of the object {@code :objekt_id} (none: it is not current). */
    String current() {
        return "select objekt_id, versions_id" + also(List.copyOf(table.writeBack().keySet()), "objekt_id", "versions_id")
                + " from fkg." + table.theme().name() + " where objekt_id = :objekt_id";
    }

    /** The current version and every write_back column of the objects {@code :ids} (a JSON array of objekt_ids, one text parameter). */
    String currentAll() {
        return "select objekt_id, versions_id" + also(List.copyOf(table.writeBack().keySet()), "objekt_id", "versions_id")
                + " from fkg." + table.theme().name() + " where objekt_id in (select cast(json_array_elements_text(cast(:ids as json)) as uuid))";
    }

    /**
     * Sets exactly {@code columns} (GeoFA names) of the object {@code :objekt_id}. The current
     * version is found by the version geofa-sync last saw ({@code versions_id}, the model's primary
     * key), and only when that is no longer current (edited in GeoFA since, or none known) by
     * {@code objekt_id}: the published FKG model indexes {@code generel} by versions_id only, so an
     * update by objekt_id alone scans every object of every theme (13 ms a row at 100,000 objects;
     * 3.7 ms this way). PostgreSQL evaluates the second look-up only when the first finds nothing.
     * The object is named twice, as GC2's PDO takes each named parameter once.
     */
    String update(Collection<String> columns) {
        String view = "fkg." + table.theme().name();
        return "update " + view + " set "
                + columns.stream().map(c -> c + " = " + parameter(c)).collect(Collectors.joining(", "))
                + " where objekt_id = :" + OBJEKT_ID + " and versions_id = coalesce("
                + "(select versions_id from " + view + " where versions_id = cast(:" + KNOWN_VERSION + " as uuid)), "
                + "(select versions_id from " + view + " where objekt_id = cast(:" + OBJEKT_ID_AGAIN + " as uuid)))"
                + " returning versions_id" + also(returnedWriteBack(), "versions_id");
    }

    /** The parameters naming the object of an {@link #update}: {@code knownVersion} is the version geofa-sync last saw of it. */
    static Map<String, Object> updateTarget(UUID objektId, Optional<UUID> knownVersion) {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put(OBJEKT_ID, objektId.toString());
        target.put(KNOWN_VERSION, knownVersion.map(UUID::toString).orElse(null));
        target.put(OBJEKT_ID_AGAIN, objektId.toString());
        return target;
    }

    /**
     * Per GeoFA column, whether object {@code :objekt_id} holds a value other than the parameter's
     * (no row: the object is not current). Compared by PostgreSQL in GeoFA, in the column's own type.
     */
    String differing(Collection<String> columns) {
        return "select " + columns.stream().map(c -> "(" + c + " is distinct from " + parameter(c) + ") as " + c).collect(Collectors.joining(", "))
                + " from fkg." + table.theme().name() + " where objekt_id = :objekt_id";
    }

    /**
     * Per object of {@code :rows} (a JSON array of objects holding objekt_id and the GeoFA values of
     * {@code columns}, one text parameter), its current version, write_back columns and, as
     * {@code differs_<column>}, whether GeoFA holds another value: compared by PostgreSQL in GeoFA,
     * in each column's own type. An object not current in GeoFA has no row.
     */
    String differingAll(Collection<String> columns) {
        return "select t.objekt_id, t.versions_id" + also(List.copyOf(table.writeBack().keySet()), "objekt_id", "versions_id").replace(", ", ", t.")
                + columns.stream().map(c -> ", (t." + c + " is distinct from " + fromRow(c) + ") as differs_" + c).collect(Collectors.joining())
                + " from fkg." + table.theme().name() + " t join json_array_elements(cast(:rows as json)) as r(v)"
                + " on t.objekt_id = cast(r.v->>'objekt_id' as uuid)";
    }

    /** Column {@code column}'s value in a {@code differingAll} row, in the column's type. */
    private String fromRow(String column) {
        if (column.equals(FkgTheme.GEOMETRY_COLUMN)) {
            return "st_multi(st_geomfromgeojson(r.v->>'" + column + "'))";
        }
        // without the length: a cast to varchar(n) would cut a longer value and make it compare equal
        String type = table.theme().column(column).map(c -> c.sqlType().replaceAll("\\(\\d+\\)$", "")).orElse("text");
        return "cast(r.v->>'" + column + "' as " + (type.equals("char") || type.equals("character") ? "text" : type) + ")";
    }

    String delete() {
        return "delete from fkg." + table.theme().name() + " where objekt_id = :objekt_id";
    }

    /**
     * Finds the objects creates made (their answers may have been lost): {@code :noegler} is a JSON
     * array of correlation keys (one text parameter); with the mapping's cvr_kode, this municipality's only.
     */
    String lookupAll() {
        // the view's current row: derived write_back columns included
        return "select objekt_id, versions_id, " + NOEGLE + also(List.copyOf(table.writeBack().keySet()), "objekt_id", "versions_id", NOEGLE)
                + " from fkg." + table.theme().name() + " where " + NOEGLE + " in (select json_array_elements_text(cast(:noegler as json)))"
                + (cvrKode().isPresent() ? " and " + CVR_KODE + " = cast(:" + CVR_KODE + " as integer)" : "");
    }

    String correlationKey(String rowKey) {
        return table.table() + ":" + rowKey;
    }

    private String parameter(String column) {
        return column.equals(FkgTheme.GEOMETRY_COLUMN) ? "st_multi(st_geomfromgeojson(:" + column + "))" : ":" + column;
    }
}
