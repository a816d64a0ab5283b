package dk.geofasync.app.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.sandbox.junit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacer keeps any 60 seconds under the limit, so each of GeoFA's calendar minutes is, whatever the clocks' offset. */
class RequestPacerTest {

    private final MutableClock clock = new MutableClock();
    private final List<Duration> slept = new ArrayList<>();
    private final RequestPacer pacer = new RequestPacer(3, clock, d -> {
        slept.add(d);
        clock.advance(d);
    });

    @Test
    void requestsWithinTheLimitGoAtOnce() {
        pacer.take();
        pacer.take();
        pacer.take();

        assertThat(slept).isEmpty();
    }

    @Test
    void oneMoreWaitsUntilTheOldestIsAMinuteAgo() {
        pacer.take();
        clock.advance(Duration.ofSeconds(20));
        pacer.take();
        pacer.take();

        pacer.take();

        assertThat(slept).containsExactly(Duration.ofSeconds(40));
    }

    @Test
    void tooManyRequestsWaitsAWholeMinute() {
        pacer.backOffAfterTooMany();

        assertThat(slept).containsExactly(Duration.ofMinutes(1));
    }
}
