package dk.geofasync.app.reconcile;

import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What reconcile compares of one mapped table, and how each side fingerprints it: the objekt_id
 * and every mapped column (after the mapping's rules, geometry included), in mapping order. The
 * mapping's constants are not compared: GeoFA's editors may set them (bruger_id) and the sync only
 * sends them with a create.
 */
final class ComparedColumns {

    private final TableMapping table;
    private final List<ColumnMapping> columns;
    private final List<FkgType> types;

    ComparedColumns(TableMapping table) {
        this.table = table;
        this.columns = table.columns();
        this.types = columns.stream().map(c -> table.theme().column(c.geofaColumn()).map(FkgColumn::type).orElse(FkgType.TEXT)).toList();
    }

    TableMapping table() {
        return table;
    }

    /** The GeoFA names of the compared columns, in order. */
    List<String> geofaNames() {
        return columns.stream().map(ColumnMapping::geofaColumn).toList();
    }

    /** The VK column holding the geometry, if the table maps one. */
    Optional<String> vkGeometryColumn() {
        return table.columnFromGeofa(FkgTheme.GEOMETRY_COLUMN).map(ColumnMapping::vkColumn);
    }

    /** GeoFA's correlation key prefix of this table's objects: {@code schema.table:}. */
    String noeglePrefix() {
        return table.table() + ":";
    }

    /**
     * A VK row's fingerprint. {@code vkValue} gives each synced VK column's text as the capture
     * trigger writes it; {@code geometryPrint} the canonical text of the geometry made in VK's SQL.
     */
    RowPrint ofVk(String key, Optional<String> objektId, Function<String, Optional<String>> vkValue, Optional<String> geometryPrint) {
        return ofVk(key, objektId, vkValue, geometryPrint, true);
    }

    /** {@code withColumns}: with each column's hash too (to name the columns that differ); the bucket sums need only the row's. */
    RowPrint ofVk(String key, Optional<String> objektId, Function<String, Optional<String>> vkValue, Optional<String> geometryPrint,
                  boolean withColumns) {
        StringBuilder text = new StringBuilder(Canonical.encode(objektId.map(id -> id.strip().toLowerCase(java.util.Locale.ROOT))));
        List<String> hashes = new ArrayList<>(withColumns ? columns.size() : 0);
        for (int i = 0; i < columns.size(); i++) {
            ColumnMapping c = columns.get(i);
            Optional<String> canonical = c.geofaColumn().equals(FkgTheme.GEOMETRY_COLUMN) ? geometryPrint
                    : Canonical.ofJava(types.get(i), c.apply(vkValue.apply(c.vkColumn())));
            String encoded = Canonical.encode(canonical);
            text.append(encoded);
            if (withColumns) {
                hashes.add(Canonical.columnHash(encoded));
            }
        }
        return new RowPrint(key, objektId, Optional.empty(), Optional.empty(), Canonical.hash(text.toString()), hashes);
    }

    /**
     * The SQL of each compared column's encoded canonical text in GeoFA, the objekt_id's first. Columns
     * are named bare: GC2 adds its read rules to the statement's WHERE, and a rule naming the view
     * would fail on an alias.
     */
    List<String> geofaEncodedSql() {
        List<String> encoded = new ArrayList<>();
        encoded.add(Canonical.encodeSql("cast(objekt_id as text)"));
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i).geofaColumn();
            encoded.add(Canonical.encodeSql(columns.get(i).geofaColumn().equals(FkgTheme.GEOMETRY_COLUMN) ? Canonical.geometrySql(column)
                    : Canonical.ofSql(types.get(i), column)));
        }
        return encoded;
    }

    /** The SQL of a GeoFA object's row hash (as {@link #ofVk} computes it). */
    String geofaHashSql() {
        return Canonical.hashSql(String.join(" || ", geofaEncodedSql()));
    }

    /** The short hash of a synced VK column's value after the mapping's rules, as {@link #geofaColumnHashSql} makes GeoFA's. */
    String vkColumnHash(String vkColumn, Optional<String> vkText) {
        int i = indexOfVk(vkColumn);
        return Canonical.columnHash(Canonical.encode(Canonical.ofJava(types.get(i), columns.get(i).apply(vkText))));
    }

    /** The SQL of the short hash of the GeoFA column a synced VK column goes to (not the geometry). */
    String geofaColumnHashSql(String vkColumn) {
        int i = indexOfVk(vkColumn);
        return Canonical.columnHashSql(Canonical.encodeSql(Canonical.ofSql(types.get(i), columns.get(i).geofaColumn())));
    }

    private int indexOfVk(String vkColumn) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).vkColumn().equals(vkColumn)) {
                return i;
            }
        }
        throw new IllegalArgumentException(vkColumn + " is not a synced column of " + table.table());
    }

    /** The column names a list of differing column hashes stands for. */
    List<String> differing(RowPrint a, RowPrint b) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (i >= a.columnHashes().size() || i >= b.columnHashes().size() || !a.columnHashes().get(i).equals(b.columnHashes().get(i))) {
                names.add(columns.get(i).geofaColumn());
            }
        }
        return names;
    }
}
