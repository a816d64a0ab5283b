package dk.geofasync.sandbox.geofa;

/** How the fake GeoFA loses the answer to a statement it has committed. */
public enum LostResponse {
    /** The connection closes with no response at all (the client sees an I/O error). */
    DROP_CONNECTION,
    /** A proxy's 502 Bad Gateway, as if the answer got lost behind GeoFA's load balancer. */
    BAD_GATEWAY,
    /**
     * GeoFA's own HTTP 500 saying its database connection broke, sent after the statement committed:
     * what a PostgreSQL restart at commit time looks like to GeoFA's client (PDO's error, passed on).
     */
    DATABASE_CONNECTION_LOST
}
