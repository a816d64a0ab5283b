package dk.geofasync.app.action;

import java.util.Locale;

/** The actions staff can take over HTTP, as {@code sync.action.action} names them. */
public enum ActionKind {
    SYNC_NOW, DEAD_LETTERS_RETRY, DEAD_LETTERS_DISCARD, RECONCILE, APPLIER_PAUSE, APPLIER_RESUME;

    /** The name in {@code sync.action}, e.g. {@code dead-letters-retry}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
