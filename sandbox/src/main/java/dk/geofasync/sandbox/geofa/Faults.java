package dk.geofasync.sandbox.geofa;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults the fake GeoFA injects into its API, switchable while it runs (from tests or over
 * {@code POST /admin/faults}). Counted faults ("the next N requests") make tests deterministic;
 * shares use a seeded random. Each fault hits requests to /api/ only, never /admin/.
 */
public final class Faults {

    private volatile Duration latency = Duration.ZERO;
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 500;
    private volatile Optional<String> failMessage = Optional.empty();
    private volatile double failShare;
    private volatile Optional<String> failMatching = Optional.empty();
    private volatile int failMatchingStatus = 500;
    private volatile int failShareStatus = 500;
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile Duration retryAfter = Duration.ofSeconds(1);
    private final AtomicInteger hangNext = new AtomicInteger();
    private volatile Duration hang = Duration.ofSeconds(60);
    private final AtomicInteger lateNext = new AtomicInteger();
    private final AtomicInteger holdNext = new AtomicInteger();
    private volatile Duration hold = Duration.ofSeconds(5);
    private volatile Duration late = Duration.ofSeconds(40);
    private final AtomicInteger loseNext = new AtomicInteger();
    private volatile double loseShare;
    private volatile LostResponse loseMode = LostResponse.DROP_CONNECTION;
    private final SplittableRandom random;
    private final Runnable expireTokens;

    Faults(long seed, Runnable expireTokens) {
        this.random = new SplittableRandom(seed);
        this.expireTokens = expireTokens;
    }

    /** Every API request waits this long before it is handled. */
    public Faults latency(Duration delay) {
        latency = delay;
        return this;
    }

    /** The next {@code count} API requests fail with {@code status} (500 or 503) and change nothing. */
    public Faults failNext(int count, int status) {
        failMessage = Optional.empty();
        failStatus = status;
        failNext.set(count);
        return this;
    }

    /**
     * The next {@code count} API requests fail with {@code status} and GeoFA's {@code message} (e.g.
     * PDO's text when GeoFA's own database is away), and change nothing.
     */
    public Faults failNext(int count, int status, String message) {
        failNext(count, status);
        failMessage = Optional.of(message);
        return this;
    }

    /** The message of the next failure, when a fault set one. */
    Optional<String> failMessage() {
        return failMessage;
    }

    /**
     * Every API request whose body contains {@code text} fails with {@code status} and changes
     * nothing, until cleared: an object GeoFA keeps failing on (its correlation key, say) while
     * everything else works.
     */
    public Faults failWhenBodyContains(String text, int status) {
        failMatchingStatus = status;
        failMatching = Optional.of(text);
        return this;
    }

    /** A share (0 to 1) of API requests fails with {@code status} and changes nothing. */
    public Faults failShare(double share, int status) {
        failShareStatus = status;
        failShare = share;
        return this;
    }

    /** The next {@code count} API requests get 429 Too Many Requests with this Retry-After. */
    public Faults throttleNext(int count, Duration retryAfterTime) {
        retryAfter = retryAfterTime;
        throttleNext.set(count);
        return this;
    }

    /** The next {@code count} API requests hang this long before an answer (longer than a client waits). */
    public Faults hangNext(int count, Duration time) {
        hang = time;
        hangNext.set(count);
        return this;
    }

    /**
     * The next {@code count} API requests are carried out only after {@code delay} (longer than a client
     * waits): the client has given up and finds nothing yet, and then the statement commits. A create
     * sent again as soon as the first one's answer was missed makes a duplicate here.
     */
    public Faults applyLate(int count, Duration delay) {
        late = delay;
        lateNext.set(count);
        return this;
    }

    /**
     * The next {@code count} SQL requests run their statements and then keep their transaction open
     * for {@code time} before they commit (longer than a client waits): GeoFA still working when the
     * client gave up, as under load or behind a lock; GeoFA sets no statement timeout on writes.
     */
    public Faults holdCommitNext(int count, Duration time) {
        hold = time;
        holdNext.set(count);
        return this;
    }

    /** The next {@code count} SQL statements are committed, and then their answer is lost. */
    public Faults loseResponseAfterCommit(int count, LostResponse mode) {
        loseMode = mode;
        loseNext.set(count);
        return this;
    }

    /** A share (0 to 1) of SQL statements is committed, and then its answer is lost (a seeded random picks them). */
    public Faults loseShare(double share, LostResponse mode) {
        loseMode = mode;
        loseShare = share;
        return this;
    }

    /** Every access token issued so far has expired; clients must refresh or log in again. */
    public Faults expireTokens() {
        expireTokens.run();
        return this;
    }

    /** Back to a well-behaved GeoFA. */
    public Faults clear() {
        latency = Duration.ZERO;
        failNext.set(0);
        failShare = 0;
        failMessage = Optional.empty();
        failMatching = Optional.empty();
        throttleNext.set(0);
        hangNext.set(0);
        lateNext.set(0);
        holdNext.set(0);
        loseNext.set(0);
        loseShare = 0;
        return this;
    }

    Duration latency() {
        return latency;
    }

    /** The status this request fails with, if a fail fault takes it. */
    Optional<Integer> takeFailure() {
        if (take(failNext)) {
            return Optional.of(failStatus);
        }
        double share = failShare;
        if (share > 0) {
            synchronized (random) {
                if (random.nextDouble() < share) {
                    return Optional.of(failShareStatus);
                }
            }
        }
        return Optional.empty();
    }

    /** The text a request body must hold to fail, if that fault is armed. */
    Optional<String> failMatching() {
        return failMatching;
    }

    int failMatchingStatus() {
        return failMatchingStatus;
    }

    Optional<Duration> takeThrottle() {
        return take(throttleNext) ? Optional.of(retryAfter) : Optional.empty();
    }

    Optional<Duration> takeHang() {
        return take(hangNext) ? Optional.of(hang) : Optional.empty();
    }

    Optional<Duration> takeLate() {
        return take(lateNext) ? Optional.of(late) : Optional.empty();
    }

    Optional<Duration> takeHoldCommit() {
        return take(holdNext) ? Optional.of(hold) : Optional.empty();
    }

    Optional<LostResponse> takeLostResponse() {
        if (take(loseNext)) {
            return Optional.of(loseMode);
        }
        double share = loseShare;
        if (share <= 0) {
            return Optional.empty();
        }
        synchronized (random) {
            return random.nextDouble() < share ? Optional.of(loseMode) : Optional.empty();
        }
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
