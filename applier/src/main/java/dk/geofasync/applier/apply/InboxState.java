package dk.geofasync.applier.apply;

/** How an event ended in {@code sync.inbox} (column {@code state}; {@code received} until then). */
enum InboxState {
    APPLIED("applied"), SKIPPED("skipped"), DEAD_LETTERED("dead_lettered");

    private final String code;

    InboxState(String code) {
        this.code = code;
    }

    /** The value in {@code sync.inbox.state}. */
    String code() {
        return code;
    }

    /** Whether {@code code} (a {@code sync.inbox.state}) is an end: the event was handled. */
    static boolean isFinal(String code) {
        for (InboxState s : values()) {
            if (s.code.equals(code)) {
                return true;
            }
        }
        return false;
    }
}
