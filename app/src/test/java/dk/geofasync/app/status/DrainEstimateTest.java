package dk.geofasync.app.status;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.applier.geofa.RequestBudget;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The time to drain what is pending at the GeoFA request budget's pace, and where staff see it. */
class DrainEstimateTest {

    @Test
    void drainEstimateUsesTheBudgetAndTheMeasuredEventsPerRequest() {
        // 8,000 events in 400 requests: 20 a request; 110 requests a minute: 2,200 events a minute
        DrainEstimate d = DrainEstimate.of(1_200, 110, 400, 8_000, 2_000);

        assertThat(d.measured()).isTrue();
        assertThat(d.eventsPerRequest()).isEqualTo(20.0);
        assertThat(d.time()).contains(Duration.ofMillis(32_728)); // 1,200 / 2,200 min, rounded up
    }

    @Test
    void noLimitMeansNoEstimateFromTheBudget() {
        DrainEstimate d = DrainEstimate.of(1_200, 0, 400, 8_000, 2_000);

        assertThat(d.time()).isEmpty();
        assertThat(d.eventsPerRequest()).isEqualTo(20.0);
        assertThat(StatusReport.drainText(StatusFixtures.status(300, 900).withGeofaBudget(budget(0, 400, 8_000))))
                .startsWith("no limit");
    }

    @Test
    void beforeAnyEventIsAppliedTheConfiguredRowsPerRequestAreAssumed() {
        DrainEstimate fresh = DrainEstimate.of(440_000, 110, 0, 0, 2_000);
        // the readiness check's probes cost requests but apply nothing: no pace measured yet
        DrainEstimate probedOnly = DrainEstimate.of(440_000, 110, 3, 0, 2_000);

        assertThat(fresh.measured()).isFalse();
        assertThat(fresh.eventsPerRequest()).isEqualTo(2_000.0);
        assertThat(fresh.time()).contains(Duration.ofMinutes(2));
        assertThat(probedOnly).isEqualTo(fresh);
    }

    @Test
    void nothingPendingTakesNoTime() {
        assertThat(DrainEstimate.of(0, 110, 400, 8_000, 2_000).time()).contains(Duration.ZERO);
    }

    @Test
    void pendingIsTheOutboxAndTheEventsOnKafka() {
        SyncStatus s = StatusFixtures.status(300, 900).withGeofaBudget(budget(110, 400, 8_000));

        assertThat(s.drainEstimate()).hasValueSatisfying(d -> {
            assertThat(d.pendingEvents()).isEqualTo(1_200);
            assertThat(d.time()).contains(Duration.ofMillis(32_728));
        });
        assertThat(StatusReport.drainText(s)).startsWith("about 33 s: 1,200 events pending, 20.0 events a request (measured)");
    }

    @Test
    void kafkaOutOfReachLeavesTheDrainTimeUnknown() {
        SyncStatus s = StatusFixtures.kafkaOutOfReach(300).withGeofaBudget(budget(110, 400, 8_000));

        assertThat(s.drainEstimate()).isEmpty();
        assertThat(StatusReport.json(s).at("/geofa_budget/drain_seconds_estimate").isNull()).isTrue();
        assertThat(StatusReport.json(s).at("/geofa_budget/requests_since_start").asLong()).isEqualTo(400);
    }

    @Test
    void statusWithoutTheRunningServiceLeavesTheBudgetOut() {
        SyncStatus cli = StatusFixtures.status(300, 900);

        assertThat(StatusReport.json(cli).has("geofa_budget")).isFalse();
        assertThat(StatusReport.text(cli)).doesNotContain("GeoFA budget");
        assertThat(StatusPage.html(cli)).doesNotContain("geofa-budget");
    }

    @Test
    void longDrainTimesReadInMinutesAndHours() {
        assertThat(StatusReport.about(Duration.ofMillis(118_001))).isEqualTo("119 s"); // rounded up, never shorter than estimated
        assertThat(StatusReport.about(Duration.ofSeconds(150))).isEqualTo("3 min");
        assertThat(StatusReport.about(Duration.ofMinutes(185))).isEqualTo("3 h 5 min");
    }

    static GeofaBudget budget(int perMinute, long requests, long eventsApplied) {
        return new GeofaBudget(new RequestBudget.Usage(perMinute, 37, requests, 2), eventsApplied, 2_000);
    }
}
