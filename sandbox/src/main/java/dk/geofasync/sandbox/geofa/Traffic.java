package dk.geofasync.sandbox.geofa;

import java.time.Instant;
import java.util.List;

/**
 * What the fake GeoFA's rate limit has seen since it started or since {@link FakeGeofa#resetTraffic()}:
 * the requests to {@code /api/v4/} that carried a bearer token (the only ones GC2 limits), so tests and
 * benchmarks can check that a client stayed within GeoFA's budget.
 *
 * @param requests every such request, served or refused
 * @param refused those answered 429 Too Many Requests
 * @param busiestMinute the highest count any one token reached in any one calendar minute (refused
 *     requests included, as GC2 counts them); more than the limit means a client sent too many
 * @param minutes the minutes with requests that the limit still holds counts for (this one and the one
 *     before), oldest first
 */
public record Traffic(long requests, long refused, int busiestMinute, List<Minute> minutes) {

    public Traffic {
        minutes = List.copyOf(minutes);
    }

    /** Requests that were let through to GeoFA. */
    public long served() {
        return requests - refused;
    }

    /**
     * One calendar minute of the fake's clock.
     *
     * @param start the minute's first instant
     * @param requests requests with a token in this minute, served or refused
     * @param refused those answered 429
     * @param busiestToken the highest count one token reached in this minute
     */
    public record Minute(Instant start, long requests, long refused, int busiestToken) {

        /** Requests of this minute that were let through. */
        public long served() {
            return requests - refused;
        }
    }
}
