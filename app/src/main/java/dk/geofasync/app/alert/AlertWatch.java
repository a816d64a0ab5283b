package dk.geofasync.app.alert;

import java.time.Duration;
import java.time.Instant;

/**
 * What the alerts have already told, so that each thing is mailed once: the last failed run and
 * dead letter mailed, when the last digest went, and which standing conditions (lag, retention,
 * GeoFA's login) were reported and have not cleared since.
 */
public record AlertWatch(long seenFailedRun, long seenLetter, Instant lastDigest, boolean lagReported, boolean retentionReported,
                         boolean loginReported) {

    /** At start-up: what is there already was there before, and is not news. */
    public static AlertWatch startingAt(AlertFacts facts) {
        return new AlertWatch(facts.lastFailedRun().map(AlertFacts.FailedRun::id).orElse(0L), facts.newestLetter(), Instant.EPOCH,
                false, false, false);
    }

    /**
     * How often the alerts are raised.
     *
     * @param digestEvery at most one dead-letter digest per this interval
     * @param lagThreshold the age of the oldest unhandled change from which on the lag is reported
     */
    public record Rules(Duration digestEvery, Duration lagThreshold) {
        public static final Rules DEFAULT = new Rules(Duration.ofMinutes(15), Duration.ofHours(1));
    }
}
