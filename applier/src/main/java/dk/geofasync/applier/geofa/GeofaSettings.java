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
 */
public record GeofaSettings(URI baseUrl, String user, Secret password, String database, Duration requestTimeout,
                            int maxConcurrentRequests, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public GeofaSettings {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("GeoFA user is missing (e.g. kom630)");
        }
        if (maxConcurrentRequests < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("GeoFA maxConcurrentRequests and maxAttempts must be at least 1");
        }
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("GeoFA initialBackoff (" + initialBackoff + ") is longer than maxBackoff (" + maxBackoff + ")");
        }
    }

    public static GeofaSettings of(URI baseUrl, String user, Secret password) {
        return new GeofaSettings(baseUrl, user, password, "fkg", Duration.ofSeconds(30), 4, 5, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    public GeofaSettings withRequestTimeout(Duration timeout) {
        return new GeofaSettings(baseUrl, user, password, database, timeout, maxConcurrentRequests, maxAttempts, initialBackoff, maxBackoff);
    }

    public GeofaSettings withBackoff(Duration initial, Duration max) {
        return new GeofaSettings(baseUrl, user, password, database, requestTimeout, maxConcurrentRequests, maxAttempts, initial, max);
    }
}
