package dk.geofasync.sandbox.geofa;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GC2's rate limit of API v4 (its {@code RateLimiter}, fixed-window mode, the default): each access
 * token may make {@code perMinute} requests per calendar minute, and the next one is answered 429
 * and does nothing. It also keeps the {@link Traffic} it saw.
 */
final class RateLimit extends Filter {

    private final Clock clock;
    private volatile int perMinute;
    private final ConcurrentNavigableMap<Long, Window> windows = new ConcurrentSkipListMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicInteger busiest = new AtomicInteger();

    RateLimit(Clock clock, int perMinute) {
        this.clock = clock;
        this.perMinute = perMinute;
    }

    /** Requests a token may make per minute; 0 or less turns the limit off (the counts go on). */
    void perMinute(int limit) {
        perMinute = limit;
    }

    int perMinute() {
        return perMinute;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        JsonExchange json = new JsonExchange(exchange);
        String token = json.bearerToken();
        // GC2 limits by the token string before it validates it: a login has none, and an expired or
        // unknown token counts like a good one
        if (token == null || token.isEmpty() || consume(token)) {
            chain.doFilter(exchange);
            return;
        }
        // GC2 throws a GC2Exception here, which index.php renders without a Retry-After
        json.error(429, "Too Many Requests", "RATE_LIMIT_EXCEEDED");
    }

    /** Counts the request, refused ones too as GC2 counts before it checks; false when over the limit. */
    boolean consume(String token) {
        Window window = window(Math.floorDiv(clock.instant().getEpochSecond(), 60));
        int count = window.tokens.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
        window.busiest.accumulateAndGet(count, Math::max);
        busiest.accumulateAndGet(count, Math::max);
        window.requests.incrementAndGet();
        requests.incrementAndGet();
        int limit = perMinute;
        if (limit > 0 && count > limit) {
            window.refused.incrementAndGet();
            refused.incrementAndGet();
            return false;
        }
        return true;
    }

    private Window window(long minute) {
        Window window = windows.get(minute);
        if (window != null) {
            return window;
        }
        Window fresh = new Window(minute);
        Window raced = windows.putIfAbsent(minute, fresh);
        if (raced != null) {
            return raced;
        }
        // GC2's counters expire after 70 s; keeping the minute before too is enough to show the last full minute
        windows.headMap(minute - 1).clear();
        return fresh;
    }

    Traffic traffic() {
        List<Traffic.Minute> minutes = new ArrayList<>();
        for (Window w : windows.values()) {
            if (w.requests.get() == 0) {
                continue; // a minute from before resetTraffic(), kept only for its budgets
            }
            minutes.add(new Traffic.Minute(Instant.ofEpochSecond(w.minute * 60), w.requests.get(), w.refused.get(), w.busiest.get()));
        }
        return new Traffic(requests.get(), refused.get(), busiest.get(), minutes);
    }

    /**
     * Starts the counts of {@link Traffic} afresh. The tokens' budgets stay as they are, as GeoFA's
     * would: a client cannot get a second budget in the same minute by an observer's reset.
     */
    void resetTraffic() {
        requests.set(0);
        refused.set(0);
        busiest.set(0);
        for (Window w : windows.values()) {
            w.requests.set(0);
            w.refused.set(0);
            w.busiest.set(0);
        }
    }

    @Override
    public String description() {
        return "GC2's rate limit per access token and calendar minute";
    }

    /** The counts of one calendar minute. */
    private static final class Window {
        final long minute;
        final Map<String, AtomicInteger> tokens = new ConcurrentHashMap<>();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicInteger busiest = new AtomicInteger();

        Window(long minute) {
            this.minute = minute;
        }
    }
}
