package dk.geofasync.sandbox.geofa;

/** How the fake GeoFA loses the answer to a statement it has committed. */
public enum LostResponse {
    /** The connection closes with no response at all (the client sees an I/O error). */
    DROP_CONNECTION,
    /** A proxy's 502 Bad Gateway, as if the answer got lost behind GeoFA's load balancer. */
    BAD_GATEWAY
}
