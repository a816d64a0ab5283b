package dk.geofasync.sandbox.junit;

import java.time.Duration;

/** Waits in a test until a condition holds, with a deadline: the one place tests wait for something asynchronous. */
public final class Await {

    /** A condition that may read a database or an HTTP endpoint. */
    @FunctionalInterface
    public interface Condition {
        boolean met() throws Exception;
    }

    private static final Duration PAUSE = Duration.ofMillis(20);

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} when it did not hold within {@code limit}
     */
    public static void until(String what, Duration limit, Condition condition) throws Exception {
        if (!holdsWithin(limit, condition)) {
            throw new AssertionError("waited " + limit.toMillis() + " ms for: " + what);
        }
    }

    /** Whether {@code condition} came to hold within {@code limit} (for a test that then asserts the details). */
    public static boolean holdsWithin(Duration limit, Condition condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(PAUSE.toMillis());
        }
        return true;
    }
}
