package dk.geofasync.app.status;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the applier needs to apply what is pending at the pace the GeoFA request budget allows:
 * pending events / (requests a minute × events applied per request).
 *
 * @param pendingEvents what waits: outbox rows not yet published plus events on Kafka not yet applied
 * @param eventsPerRequest events one request carries on average: measured, or assumed before anything was
 * @param measured whether {@code eventsPerRequest} was measured (else it is the configured rows per request)
 * @param time empty when the budget sets no pace (no limit of our own)
 */
public record DrainEstimate(long pendingEvents, double eventsPerRequest, boolean measured, Optional<Duration> time) {

    /**
     * @param perMinute the request budget a minute; 0 = no limit of our own
     * @param requests GeoFA requests this process sent since it started
     * @param eventsApplied events this process finished since it started, whatever the outcome
     * @param rowsPerRequest the configured objects per request, assumed until requests were measured
     */
    public static DrainEstimate of(long pendingEvents, int perMinute, long requests, long eventsApplied, int rowsPerRequest) {
        // requests without finished events (the readiness check's probe, a login) say nothing yet about the pace
        boolean measured = requests > 0 && eventsApplied > 0;
        double perRequest = measured ? (double) eventsApplied / requests : Math.max(1, rowsPerRequest);
        if (perMinute <= 0) {
            return new DrainEstimate(pendingEvents, perRequest, measured, Optional.empty());
        }
        double seconds = pendingEvents * 60.0 / (perMinute * perRequest);
        return new DrainEstimate(pendingEvents, perRequest, measured, Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000))));
    }
}
