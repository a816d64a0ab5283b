package dk.geofasync.core.fkg;

import java.util.List;
import java.util.Optional;

/** A GeoFA theme (e.g. {@code t_5800_fac_pkt}): its number, geometry type and columns. */
public record FkgTheme(String name, int temakode, String title, GeometryType geometryType, List<FkgColumn> columns) {

    /** The name of every theme's geometry column. */
    public static final String GEOMETRY_COLUMN = "geometri";

    public FkgTheme {
        columns = List.copyOf(columns);
    }

    public Optional<FkgColumn> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** Columns a new object must have; geofa-sync must send each of them on a create. */
    public List<FkgColumn> requiredColumns() {
        return columns.stream().filter(FkgColumn::required).toList();
    }
}
