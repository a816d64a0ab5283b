package dk.geofasync.core.fkg;

import java.util.Arrays;
import java.util.Optional;

/**
 * The geometry type a GeoFA theme stores. Almost every theme stores Multi* and refuses single-part
 * geometries; the FKG model has one single-point theme ({@code t_7901_foto}) and one without geometry
 * ({@code t_7900_fotoforbindelse}).
 */
public enum GeometryType {
    MULTI_POINT("MultiPoint"),
    MULTI_LINE_STRING("MultiLineString"),
    MULTI_POLYGON("MultiPolygon"),
    POINT("Point"),
    /** The theme has no geometry column. */
    NONE("None");

    private final String geoJsonName;

    GeometryType(String geoJsonName) {
        this.geoJsonName = geoJsonName;
    }

    /** The name GeoJSON and PostGIS use, e.g. {@code MultiPoint}. */
    public String geoJsonName() {
        return geoJsonName;
    }

    public boolean isMulti() {
        return this == MULTI_POINT || this == MULTI_LINE_STRING || this == MULTI_POLYGON;
    }

    public static Optional<GeometryType> fromName(String name) {
        return Arrays.stream(values()).filter(t -> t.geoJsonName.equalsIgnoreCase(name)).findFirst();
    }
}
