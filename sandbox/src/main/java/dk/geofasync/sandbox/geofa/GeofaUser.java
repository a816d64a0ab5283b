package dk.geofasync.sandbox.geofa;

import dk.geofasync.core.config.Secret;

/**
 * A user the fake GeoFA lets in, with the area (WKT MultiPolygon in EPSG:25832) its rows must lie
 * in; GeoFA answers {@code LIMIT ERROR} for a row outside it.
 */
public record GeofaUser(String name, Secret password, String geofenceWkt) {

    /** Roughly Vejle Kommune's extent (EPSG:25832). */
    public static final String VEJLE_FENCE =
            "MULTIPOLYGON(((515000 6158000, 572000 6158000, 572000 6192000, 515000 6192000, 515000 6158000)))";

    /** The sandbox's user for Vejle Kommune (kommunekode 630). */
    public static GeofaUser vejle() {
        return new GeofaUser("kom630", Secret.of("sandbox"), VEJLE_FENCE);
    }
}
