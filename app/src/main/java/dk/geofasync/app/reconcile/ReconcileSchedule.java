package dk.geofasync.app.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the service reconciles: every {@code every} after the last reconcile that succeeded (the
 * first soon after the service starts, when none is on record), and once the applier has caught up
 * after a gap (an event waited so long that Kafka may have dropped others). A pure decision.
 */
public record ReconcileSchedule(Duration every) {

    /** The trigger of a reconcile due now, if one is. */
    public Optional<ReconcileTrigger> due(Optional<Instant> lastSucceeded, Instant now, boolean gapCaughtUp) {
        if (gapCaughtUp) {
            return Optional.of(ReconcileTrigger.GAP);
        }
        if (every.isZero() || every.isNegative()) {
            return Optional.empty();
        }
        return lastSucceeded.isEmpty() || !lastSucceeded.get().plus(every).isAfter(now) ? Optional.of(ReconcileTrigger.SCHEDULE) : Optional.empty();
    }
}
