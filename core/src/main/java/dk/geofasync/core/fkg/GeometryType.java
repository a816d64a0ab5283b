package dk.geofasync.core.fkg;

import java.util.Arrays;
import java.util.Optional;

/** The Multi* geometry type a GeoFA theme stores; GeoFA refuses single-part geometries. */
public enum GeometryType {
    MULTI_POINT("MultiPoint"),
    MULTI_LINE_STRING("MultiLineString"),
    MULTI_POLYGON("MultiPolygon");

    private final String geoJsonName;

    GeometryType(String geoJsonName) {
        this.geoJsonName = geoJsonName;
    }

    /** The name GeoJSON and PostGIS use, e.g. {@code MultiPoint}. */
    public String geoJsonName() {
        return geoJsonName;
    }

    public static Optional<GeometryType> fromName(String name) {
        return Arrays.stream(values()).filter(t -> t.geoJsonName.equalsIgnoreCase(name)).findFirst();
    }
}
