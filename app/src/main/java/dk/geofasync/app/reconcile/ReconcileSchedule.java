package dk.geofasync.app.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the service reconciles: every {@code every} after its last reconcile that succeeded (the
 * first soon after the service starts, when none is on record), and once the applier has caught up
 * after a gap (an event waited so long that Kafka may have dropped others). After a failed one it
 * waits {@link #AFTER_FAILURE}, so a reconcile that keeps failing does not scan both sides hourly.
 * A pure decision over the service's own reconciles (a partial one from the command line does not count).
 */
public record ReconcileSchedule(Duration every) {

    /** How long the service waits after a failed reconcile before the next try. */
    public static final Duration AFTER_FAILURE = Duration.ofDays(1);

    /** The trigger of a reconcile due now, if one is. */
    public Optional<ReconcileTrigger> due(Optional<Instant> lastSucceeded, Optional<Instant> lastFailed, Instant now, boolean gapCaughtUp) {
        boolean failedSince = lastFailed.isPresent() && lastSucceeded.map(ok -> lastFailed.get().isAfter(ok)).orElse(true);
        if (failedSince && lastFailed.get().plus(AFTER_FAILURE).isAfter(now)) {
            return Optional.empty();
        }
        if (gapCaughtUp) {
            return Optional.of(ReconcileTrigger.GAP);
        }
        if (every.isZero() || every.isNegative()) {
            return Optional.empty();
        }
        return lastSucceeded.isEmpty() || !lastSucceeded.get().plus(every).isAfter(now) ? Optional.of(ReconcileTrigger.SCHEDULE) : Optional.empty();
    }
}
