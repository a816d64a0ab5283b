package dk.geofasync.app.reconcile;

import java.util.Locale;

/** What started a reconcile, as sync.reconcile_run records it. */
public enum ReconcileTrigger {
    /** {@code geofa-sync reconcile}. */
    COMMAND,
    /** The service's schedule ({@code --reconcile-every}). */
    SCHEDULE,
    /** The service noticed events may have been lost (the applier fell behind the topic's retention). */
    GAP,
    /** Staff asked the running service for one ({@code POST /actions/reconcile}). */
    ACTION;

    String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
