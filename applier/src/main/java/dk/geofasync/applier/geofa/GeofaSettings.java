package dk.geofasync.applier.geofa;

import dk.geofasync.core.config.Secret;
import java.net.URI;
import java.time.Duration;

/**
 * How to reach GeoFA's v4 SQL API and how politely to use it.
 *
 * @param database GeoFA's database name in the login ({@code fkg})
 * @param requestTimeout how long one request may take before its outcome counts as unknown
 * @param maxConcurrentRequests requests in flight at once (GeoFA documents no limit: be polite)
 * @param maxAttempts tries of a request GeoFA did not apply (429, 503, an unexplained 500) before giving up
 * @param initialBackoff the first wait between tries; it doubles up to {@code maxBackoff}
 * @param requestsPerMinute the sync's share of the GeoFA user's request budget (GC2: 120 a minute per token);
 *                          0 = no limit of our own (a GeoFA without one)
 * @param maxRowsPerRequest parameter sets (objects) in one request, over all its statements
 */
public record GeofaSettings(URI baseUrl, String user, Secret password, String database, Duration requestTimeout,
                            int maxConcurrentRequests, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                            int requestsPerMinute, int maxRowsPerRequest) {

    /** What GeoFA allows a user by default less some room for the same user's own editing (QGIS, the GeoFA editor). */
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 110;
    /** Large enough that a minute's budget carries a big backfill, small enough that a request stays far below GeoFA's 60 s statement timeout. */
    public static final int DEFAULT_MAX_ROWS_PER_REQUEST = 2_000;

    public GeofaSettings(URI baseUrl, String user, Secret password, String database, Duration requestTimeout,
                         int maxConcurrentRequests, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this(baseUrl, user, password, database, requestTimeout, maxConcurrentRequests, maxAttempts, initialBackoff, maxBackoff,
                DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_MAX_ROWS_PER_REQUEST);
    }

    public GeofaSettings {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("GeoFA user is missing (e.g. kom630)");
        }
        if (maxConcurrentRequests < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("GeoFA maxConcurrentRequests and maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("GeoFA initialBackoff must be above zero, got " + initialBackoff);
        }
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("GeoFA initialBackoff (" + initialBackoff + ") is longer than maxBackoff (" + maxBackoff + ")");
        }
        if (requestsPerMinute < 0 || maxRowsPerRequest < 1) {
            throw new IllegalArgumentException("GeoFA requests per minute must be 0 (no limit) or more, and rows per request at least 1");
        }
    }

    public static GeofaSettings of(URI baseUrl, String user, Secret password) {
        return new GeofaSettings(baseUrl, user, password, "fkg", Duration.ofSeconds(30), 4, 5, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    public GeofaSettings withRequestTimeout(Duration timeout) {
        return new GeofaSettings(baseUrl, user, password, database, timeout, maxConcurrentRequests, maxAttempts, initialBackoff, maxBackoff,
                requestsPerMinute, maxRowsPerRequest);
    }

    public GeofaSettings withBackoff(Duration initial, Duration max) {
        return new GeofaSettings(baseUrl, user, password, database, requestTimeout, maxConcurrentRequests, maxAttempts, initial, max,
                requestsPerMinute, maxRowsPerRequest);
    }

    /** @param perMinute the sync's request budget a minute; 0 = no limit of our own */
    public GeofaSettings withRequestsPerMinute(int perMinute) {
        return new GeofaSettings(baseUrl, user, password, database, requestTimeout, maxConcurrentRequests, maxAttempts, initialBackoff, maxBackoff,
                perMinute, maxRowsPerRequest);
    }

    public GeofaSettings withMaxRowsPerRequest(int rows) {
        return new GeofaSettings(baseUrl, user, password, database, requestTimeout, maxConcurrentRequests, maxAttempts, initialBackoff, maxBackoff,
                requestsPerMinute, rows);
    }
}
