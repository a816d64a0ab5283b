package dk.geofasync.applier.apply;

import java.time.Duration;

/**
 * How many objects the next GeoFA request carries: up to the configured number, halved after a
 * request that took long or ran into GeoFA's statement timeout (60 s by default, after which GeoFA
 * cancels the whole transaction), grown back by half after quick ones. The budget favours big
 * requests; the statement timeout caps them, and how fast GeoFA is today is only known by trying.
 */
final class RequestSize {

    /** A quarter of GeoFA's statement timeout: well before it, whatever GeoFA's load does next. */
    static final Duration SLOW = Duration.ofSeconds(15);
    static final Duration QUICK = Duration.ofSeconds(5);
    static final int SMALLEST = 50;

    private final int largest;
    private int current;

    RequestSize(int largest) {
        this.largest = largest;
        this.current = largest;
    }

    int current() {
        return current;
    }

    /** A request of {@code rows} objects took {@code time} (answered or not). */
    void took(Duration time, int rows) {
        if (time.compareTo(SLOW) > 0) {
            current = Math.max(Math.min(SMALLEST, largest), Math.min(current, rows) / 2);
        } else if (time.compareTo(QUICK) < 0 && rows >= current) {
            current = Math.min(largest, Math.max(current + 1, current * 3 / 2));
        }
    }

    /** GeoFA cancelled a request for its statement timeout: the next ones are smaller. */
    void timedOut() {
        current = Math.max(Math.min(SMALLEST, largest), current / 2);
    }

    /** Whether GeoFA's message says it cancelled the statement for its statement timeout. */
    static boolean statementTimeout(String geofaMessage) {
        return geofaMessage.contains("statement timeout");
    }
}
