package dk.geofasync.applier.geofa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The request budget on a shortened window (GC2's is a minute): the same rules, in a second. */
class RequestBudgetTest {

    @Test
    void noWindowEverHoldsMoreRequestsThanTheBudget() throws InterruptedException {
        Duration window = Duration.ofMillis(500);
        RequestBudget budget = new RequestBudget(10, window, Clock.systemUTC());
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            budget.acquire();
            sent.add(Instant.now());
        }
        // whatever the offset of GeoFA's windows to ours, a window holding 11 would show here as 11 within 500 ms
        for (int i = 10; i < sent.size(); i++) {
            assertThat(Duration.between(sent.get(i - 10), sent.get(i))).as("request %d and the 10th before it", i)
                    .isGreaterThanOrEqualTo(window.minusMillis(5));
        }
        assertThat(budget.usage().requests()).isEqualTo(35);
    }

    @Test
    void requestsAreSpreadOverTheWindowNotSentInOneBurst() throws InterruptedException {
        RequestBudget budget = new RequestBudget(10, Duration.ofMillis(500), Clock.systemUTC());
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            budget.acquire();
        }
        // one at once, then one every 50 ms: about 450 ms, not 0 ms followed by a 500 ms stall
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), Duration.ofMillis(700));
    }

    @Test
    void afterTheBurstRequestsGoOneSpacingApartNotInStallsAndBursts() throws InterruptedException {
        // 100 a second: spacing 10 ms, a burst of 10
        RequestBudget budget = new RequestBudget(100, Duration.ofSeconds(1), Clock.systemUTC());
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            budget.acquire();
            sent.add(System.nanoTime());
        }
        for (int i = 11; i < sent.size(); i++) {
            // a sliding-window pacer would let the burst go, stall 90 ms, and burst again: a change would wait the stall
            assertThat(Duration.ofNanos(sent.get(i) - sent.get(i - 1))).as("gap before request %d", i).isLessThan(Duration.ofMillis(40));
        }
        assertThat(Duration.ofNanos(sent.get(39) - sent.get(10))).as("29 requests after the burst").isGreaterThanOrEqualTo(Duration.ofMillis(270));
    }

    @Test
    void aSteadySenderIsNeverStoppedByTheSixtySecondRule() throws InterruptedException {
        // 110 a minute in a 1.1 s window: a burst of 10, then evenly; a minute's worth and more without any gap above one spacing
        RequestBudget budget = new RequestBudget(110, Duration.ofMillis(1_100), Clock.systemUTC());
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            budget.acquire();
            sent.add(System.nanoTime());
        }
        for (int i = 11; i < sent.size(); i++) {
            assertThat(Duration.ofNanos(sent.get(i) - sent.get(i - 1))).as("gap before request %d", i).isLessThan(Duration.ofMillis(50));
        }
    }

    @Test
    void askingHowLongUntilASlotTakesNone() throws InterruptedException {
        RequestBudget budget = new RequestBudget(10, Duration.ofMillis(500), Clock.systemUTC());
        assertThat(budget.untilSlot()).isZero();
        budget.acquire();
        assertThat(budget.untilSlot()).as("one spacing after a request").isBetween(Duration.ofMillis(40), Duration.ofMillis(56));
        assertThat(budget.untilSlot()).as("asking again takes nothing").isGreaterThan(Duration.ofMillis(30));
        assertThat(budget.usage().requests()).isEqualTo(1);
    }

    @Test
    void aThrottledRequestPausesEveryoneUntilGeofasNextMinute() {
        Clock at = Clock.fixed(Instant.parse("2026-12-02T10:15:42Z"), ZoneOffset.UTC);
        RequestBudget budget = new RequestBudget(110, at);

        Duration pause = budget.throttled(Optional.empty());

        assertThat(pause).isEqualTo(Duration.ofSeconds(19)); // to 10:16:00, and a second for a GeoFA clock a little behind
        assertThat(budget.usage().throttled()).isEqualTo(1);
        assertThat(budget.throttled(Optional.of(Duration.ofSeconds(3)))).as("an earlier Retry-After does not shorten the pause")
                .isEqualTo(Duration.ofSeconds(19));
    }

    @Test
    void noLimitLetsEveryRequestGoAtOnce() throws InterruptedException {
        RequestBudget budget = new RequestBudget(0, Clock.systemUTC());
        long start = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            budget.acquire();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(budget.usage().usedLastMinute()).isEqualTo(500);
    }
}
