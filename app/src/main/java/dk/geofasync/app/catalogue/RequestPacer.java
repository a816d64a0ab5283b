package dk.geofasync.app.catalogue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps requests under GeoFA's rate limit: at most {@code perMinute} in any 60 seconds. GC2 counts per
 * token and calendar minute of its own clock (mapcentia/geocloud2 {@code app/inc/RateLimiter.php},
 * default 120); a limit on every 60-second stretch holds in each of GeoFA's minutes whatever the two
 * clocks' difference, where counting our own calendar minutes could put two bursts into one of GeoFA's.
 */
final class RequestPacer {

    /** How the pacer waits; tests replace it. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Deque<Instant> sent = new ArrayDeque<>();

    RequestPacer(int perMinute, Clock clock, Sleeper sleeper) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("requests per minute must be at least 1, got " + perMinute);
        }
        this.perMinute = perMinute;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    static RequestPacer realTime(int perMinute) {
        return new RequestPacer(perMinute, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    /** Waits until one more request stays within the limit, and counts it as sent. */
    synchronized void take() {
        Instant now = clock.instant();
        forgetBefore(now.minus(WINDOW));
        if (sent.size() >= perMinute) {
            sleep(Duration.between(now, sent.peekFirst().plus(WINDOW)));
            now = clock.instant();
            forgetBefore(now.minus(WINDOW));
        }
        sent.addLast(now);
    }

    /** GeoFA said 429: its minute is used up. No Retry-After comes with it; a full window surely ends it. */
    synchronized void backOffAfterTooMany() {
        sleep(WINDOW);
    }

    private void forgetBefore(Instant start) {
        while (!sent.isEmpty() && !sent.peekFirst().isAfter(start)) {
            sent.removeFirst();
        }
    }

    private void sleep(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keeping to GeoFA's rate limit", e);
        }
    }
}
