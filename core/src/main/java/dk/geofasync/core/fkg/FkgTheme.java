package dk.geofasync.core.fkg;

import java.util.List;
import java.util.Optional;

/** A GeoFA theme (e.g. {@code t_5800_fac_pkt}): its number, title, geometry type and columns in the view's order. */
public record FkgTheme(String name, int temakode, String title, GeometryType geometryType, List<FkgColumn> columns) {

    /** The name of every theme's geometry column. */
    public static final String GEOMETRY_COLUMN = "geometri";

    /** The theme's name's hash: the record's own would hash every column and its rules each time. */
    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(name);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof FkgTheme t && java.util.Objects.equals(name, t.name) && temakode == t.temakode && java.util.Objects.equals(title, t.title)
                && geometryType == t.geometryType && columns.equals(t.columns);
    }

    public FkgTheme {
        columns = List.copyOf(columns);
    }

    public Optional<FkgColumn> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** Columns a new object must have; geofa-sync must send each of them on a create. */
    public List<FkgColumn> requiredColumns() {
        return columns.stream().filter(c -> c.required() && c.writable()).toList();
    }

    /** The theme's own part in GeoFA ({@code fkg.t_5800_fac_pkt_t}); the generic part is {@code fkg.generel}. */
    public String partTable() {
        return name + "_t";
    }

    /** The column a GeoFA constraint of this theme belongs to, by the constraint's name. */
    public Optional<FkgColumn> columnOfConstraint(String constraintName) {
        return columns.stream().filter(c -> c.owns(constraintName)).findFirst();
    }
}
