package dk.geofasync.core.fkg;

/** The value types of GeoFA columns, as far as a client writing them must know them. */
public enum FkgType {
    INTEGER, NUMERIC, VARCHAR, CHAR, DATE, UUID, JSONB, TIMESTAMPTZ, GEOMETRY;

    /** Whether a length limit belongs to this type ({@code varchar(254)}, {@code char(7)}). */
    public boolean hasLength() {
        return this == VARCHAR || this == CHAR;
    }
}
