package dk.geofasync.applier.apply;

/** What applying one change event did. */
public enum Applied {
    CREATED, UPDATED, DELETED,
    /** Nothing to send: no mapped column changed, or the object never reached GeoFA. */
    SKIPPED,
    /** Delivered before and already handled: the inbox dropped it. */
    DUPLICATE,
    DEAD_LETTERED,
    /** Not finished: GeoFA out of reach (or its answers lost round after round); the event is delivered again. */
    WAITING
}
