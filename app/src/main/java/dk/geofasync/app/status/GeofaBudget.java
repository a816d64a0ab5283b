package dk.geofasync.app.status;

import dk.geofasync.applier.geofa.RequestBudget;

/**
 * The GeoFA request budget as the running service sees it: only the process that sends the requests
 * knows these figures, so {@code geofa-sync status} run on its own has none.
 *
 * @param usage the limit, the requests of the last minute and since start, the 429s seen
 * @param eventsApplied events the process finished since it started, whatever the outcome
 * @param rowsPerRequest the configured objects per request ({@code --geofa-rows-per-request})
 */
public record GeofaBudget(RequestBudget.Usage usage, long eventsApplied, int rowsPerRequest) {

    /** How long {@code pendingEvents} take at the budget's pace. */
    public DrainEstimate drain(long pendingEvents) {
        return DrainEstimate.of(pendingEvents, usage.perMinute(), usage.requests(), eventsApplied, rowsPerRequest);
    }
}
