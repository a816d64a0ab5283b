package dk.geofasync.applier.geofa;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The GeoFA user's request budget: GC2 refuses the 121st request of a calendar minute per access
 * token (HTTP 429, {@code RATE_LIMIT_EXCEEDED}). Requests are spread evenly over the minute
 * (a small burst allowed, so a lone change goes at once; after it one request per
 * {@code 60 s / (budget - burst)}, never a stall followed by another burst), and no 60 seconds ever hold more than the
 * budget, so whatever the offset between our clock and GeoFA's, none of GeoFA's calendar minutes
 * does either. One budget per GeoFA user and address in the process, shared by every client: a new
 * token does not buy a new budget. After a 429 (another client of the same user used the minute up),
 * everyone waits for the next minute.
 *
 * <p>Hand-written, because the limiter must mirror GC2's fixed calendar-minute window and its 429
 * rule exactly; a general rate-limit library would shape traffic by its own rules.
 */
public final class RequestBudget {

    private static final Map<String, RequestBudget> SHARED = new ConcurrentHashMap<>();
    /** Waited after a 429 beyond the next minute's start, for a GeoFA clock a little behind ours. */
    private static final Duration AFTER_MINUTE = Duration.ofSeconds(1);

    private final int perMinute;
    /** GC2's window is a minute; tests shorten it. */
    private final Duration window;
    private final int burst;
    private final Clock clock;
    /** When the requests of the last 60 s were sent, oldest first. */
    private final Deque<Instant> sent = new ArrayDeque<>();
    private Instant pausedUntil = Instant.MIN;
    /**
     * When the next request would be due if requests went exactly one spacing apart (the generic cell
     * rate algorithm's theoretical arrival time): a request may go up to {@code burst - 1} spacings
     * before it, so an idle budget lets a few go at once and a busy one sends evenly.
     */
    private Instant evenlyDue = Instant.EPOCH;
    private long requests;
    private long throttled;
    /** The minute as every instance sharing the partitions sees it, when several do (see {@link #shareWith}). */
    private volatile Optional<SharedRequestWindow> shared = Optional.empty();

    /** What the budget allows and what was used, for the status page and metrics. */
    public record Usage(int perMinute, int usedLastMinute, long requests, long throttled) {
    }

    /** @param perMinute requests allowed in any 60 seconds; 0 or less: no limit */
    public RequestBudget(int perMinute, Clock clock) {
        this(perMinute, Duration.ofMinutes(1), clock);
    }

    RequestBudget(int perMinute, Duration window, Clock clock) {
        this.perMinute = perMinute;
        this.window = window;
        this.burst = Math.max(1, Math.min(perMinute / 10, 10));
        this.clock = clock;
    }

    /** The budget of GeoFA user {@code user} at {@code baseUrl} in this process (the first caller's limit holds). */
    public static RequestBudget of(String baseUrl, String user, int perMinute) {
        return SHARED.computeIfAbsent(baseUrl + "|" + user, k -> new RequestBudget(perMinute, Clock.systemUTC()));
    }

    /**
     * Keeps this budget together with other processes' (instances sharing the partitions): a request
     * goes only when the shared minute has room as well. Even spacing stays each process's own.
     */
    public void shareWith(SharedRequestWindow window) {
        if (perMinute > 0) {
            shared = Optional.of(window);
        }
    }

    /**
     * Blocks until a request may be sent within the budget, and counts it as sent.
     *
     * @throws GeofaException.Unavailable the shared minute cannot be read in VK (the request must not go)
     */
    public void acquire() throws InterruptedException {
        while (true) {
            Duration wait;
            Optional<SharedRequestWindow> others = shared;
            if (others.isPresent()) {
                // VK is asked outside this budget's monitor, so status and metrics never wait on it; the claim is
                // made first, and so counted at most once per request that goes
                synchronized (this) {
                    wait = waitFor(clock.instant());
                }
                if (wait.isZero()) {
                    wait = others.get().claim();
                }
                if (!wait.isZero()) {
                    Thread.sleep(Math.max(1, wait.toMillis()));
                    continue;
                }
            }
            synchronized (this) {
                Instant now = clock.instant();
                // again, under the monitor: another thread of this process (reconcile, health) may have gone meanwhile,
                // or a 429 paused the budget; a slot claimed in VK and not used only counts one request too many there
                wait = waitFor(now);
                if (wait.isZero()) {
                    sent.addLast(now);
                    requests++;
                    if (perMinute > 0) {
                        evenlyDue = (evenlyDue.isAfter(now) ? evenlyDue : now).plus(spacing());
                    }
                    return;
                }
            }
            Thread.sleep(Math.max(1, wait.toMillis()));
        }
    }

    /**
     * How long a request now would wait (zero: it may go at once), without taking the slot: a
     * sender that collects work while it would wait anyway sends everything that came in the
     * meantime in the request that follows.
     */
    public synchronized Duration untilSlot() {
        return waitFor(clock.instant());
    }

    /**
     * One request per this, after the burst: a burst plus a minute of such spacing stays within the
     * budget, so the 60-second rule never has to stop a steady sender (at 60 s / budget it would, for
     * 5 s a minute, and then let a burst go).
     */
    private Duration spacing() {
        return window.dividedBy(Math.max(1, perMinute - burst));
    }

    /** How long a request now must wait: zero when it may go. */
    private Duration waitFor(Instant now) {
        if (now.isBefore(pausedUntil)) {
            return Duration.between(now, pausedUntil);
        }
        if (perMinute <= 0) {
            return Duration.ZERO;
        }
        Instant windowStart = now.minus(window);
        while (!sent.isEmpty() && !sent.peekFirst().isAfter(windowStart)) {
            sent.removeFirst();
        }
        if (sent.size() >= perMinute) {
            return Duration.between(windowStart, sent.peekFirst());
        }
        // even spacing beyond a small burst
        Instant earliest = evenlyDue.minus(spacing().multipliedBy(burst - 1));
        if (now.isBefore(earliest)) {
            return Duration.between(now, earliest);
        }
        return Duration.ZERO;
    }

    /**
     * GeoFA refused a request for the rate limit (someone else used the user's minute up): nothing
     * goes until the next calendar minute (GC2 names no time), or for as long as GeoFA said.
     * Returns how long that is from now.
     */
    public synchronized Duration throttled(Optional<Duration> retryAfter) {
        throttled++;
        Instant now = clock.instant();
        Instant next = retryAfter.map(now::plus).orElseGet(() -> now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)).plus(AFTER_MINUTE));
        if (next.isAfter(pausedUntil)) {
            pausedUntil = next;
        }
        return Duration.between(now, pausedUntil);
    }

    /** Requests sent in the last 60 seconds and in all, and the 429s seen. */
    public synchronized Usage usage() {
        Instant windowStart = clock.instant().minus(window);
        int used = (int) sent.stream().filter(t -> t.isAfter(windowStart)).count();
        return new Usage(perMinute, used, requests, throttled);
    }
}
