package dk.geofasync.applier.apply;

/** Where a VK row stands with GeoFA ({@code sync.object_link.state}; {@link #NONE}: no link row yet). */
enum LinkState {
    /** No object yet, and no create sent. */
    NONE(""),
    /** A create was sent and never answered: GeoFA may hold the object. */
    CREATE_PENDING("create_pending"),
    /** Linked to a current GeoFA object. */
    LINKED("linked"),
    /** Its object was deleted (closed) in GeoFA by the sync. */
    DELETED("deleted");

    private final String code;

    LinkState(String code) {
        this.code = code;
    }

    /** The state a {@code sync.object_link.state} value names. */
    static LinkState of(String code) {
        for (LinkState s : values()) {
            if (s != NONE && s.code.equals(code)) {
                return s;
            }
        }
        throw new IllegalStateException("sync.object_link holds an unknown state '" + code + "'");
    }
}
