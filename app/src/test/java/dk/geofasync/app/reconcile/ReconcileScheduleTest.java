package dk.geofasync.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcileScheduleTest {

    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    static final ReconcileSchedule WEEKLY = new ReconcileSchedule(Duration.ofDays(7));

    @Test
    void aServiceWithNoReconcileOnRecordReconcilesSoon() {
        assertThat(WEEKLY.due(Optional.empty(), Optional.empty(), NOW, false)).contains(ReconcileTrigger.SCHEDULE);
    }

    @Test
    void aWeekAfterTheLastReconcileTheNextIsDueAndNotBefore() {
        assertThat(WEEKLY.due(Optional.of(NOW.minus(Duration.ofDays(6))), Optional.empty(), NOW, false)).isEmpty();
        assertThat(WEEKLY.due(Optional.of(NOW.minus(Duration.ofDays(7))), Optional.empty(), NOW, false)).contains(ReconcileTrigger.SCHEDULE);
    }

    @Test
    void aGapTheApplierCaughtUpAfterIsReconciledEvenWithoutASchedule() {
        assertThat(new ReconcileSchedule(Duration.ZERO).due(Optional.of(NOW.minusSeconds(60)), Optional.empty(), NOW, true)).contains(ReconcileTrigger.GAP);
        assertThat(new ReconcileSchedule(Duration.ZERO).due(Optional.empty(), Optional.empty(), NOW, false)).isEmpty();
    }

    @Test
    void aFailedReconcileIsTriedAgainADayLaterNotHourly() {
        Optional<Instant> longAgo = Optional.of(NOW.minus(Duration.ofDays(30)));
        assertThat(WEEKLY.due(longAgo, Optional.of(NOW.minus(Duration.ofHours(2))), NOW, false)).isEmpty();
        assertThat(WEEKLY.due(longAgo, Optional.of(NOW.minus(Duration.ofDays(1))), NOW, false)).contains(ReconcileTrigger.SCHEDULE);
    }
}
