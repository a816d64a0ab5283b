package dk.geofasync.core.fkg;

/** Who writes a GeoFA column: the client, GeoFA itself, or nobody (a derived view column). */
public enum ColumnAccess {
    /** The client (geofa-sync) writes it. */
    WRITE,
    /** GeoFA sets it (objekt_id, versions_id, system times); a client must not send it. */
    SERVER,
    /** Read-only columns the theme view derives from others (temanavn, status …). */
    DERIVED
}
