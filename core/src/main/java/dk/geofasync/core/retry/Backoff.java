package dk.geofasync.core.retry;

import java.time.Duration;

/**
 * The one waiting policy of geofa-sync's retries (the relay's rounds, the pipeline's stages, GeoFA
 * requests): the wait doubles from {@code first} up to {@code max}. Hand-written rather than a
 * retry library: each caller's loop also decides what a failure means (a lost answer, a lease), and
 * only the waiting is shared.
 */
public record Backoff(Duration first, Duration max) {

    /** A stage that keeps failing (VK, Kafka or GeoFA out of reach): 200 ms, then up to 30 s. */
    public static final Backoff STAGE = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

    public Backoff {
        if (first.isNegative() || first.isZero() || first.compareTo(max) > 0) {
            throw new IllegalArgumentException("a back-off starts above zero and at most at its maximum, got " + first + " to " + max);
        }
    }

    /** The wait after one of {@code current}: twice as long, at most {@link #max}. */
    public Duration after(Duration current) {
        Duration twice = current.multipliedBy(2);
        return twice.compareTo(max) > 0 ? max : twice;
    }
}
