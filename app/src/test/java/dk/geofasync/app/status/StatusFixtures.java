package dk.geofasync.app.status;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** A {@link SyncStatus} with defaults for every field, for tests without PostgreSQL or Kafka. */
public final class StatusFixtures {

    public static final OffsetDateTime READ_AT = OffsetDateTime.of(2026, 12, 1, 9, 15, 0, 0, ZoneOffset.UTC);

    private StatusFixtures() {
    }

    /** All well, with {@code outboxPending} rows waiting in one table and {@code kafkaLag} events waiting on partition 0. */
    public static SyncStatus status(long outboxPending, long kafkaLag) {
        List<SyncStatus.PendingTable> pending = outboxPending == 0 ? List.of()
                : List.of(new SyncStatus.PendingTable("vk.facilitet_punkt", outboxPending, Duration.ofSeconds(5)));
        return new SyncStatus(READ_AT, pending, pending.isEmpty() ? Optional.empty() : Optional.of(Duration.ofSeconds(5)),
                List.of(new SyncStatus.PartitionLag(0, 1_000, 1_000 + kafkaLag)), Optional.empty(), 0, List.of(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty());
    }

    /** The same, but Kafka out of reach: what waits there is unknown. */
    public static SyncStatus kafkaOutOfReach(long outboxPending) {
        SyncStatus s = status(outboxPending, 0);
        return new SyncStatus(s.readAt(), s.pending(), s.relayLag(), List.of(), Optional.of("Kafka out of reach: timed out"), s.openDeadLetters(),
                s.deadLetters(), s.lastSucceeded(), s.lastFailed(), s.recentRuns(), s.oldestUnhandled(), s.serviceProblems(), s.geofaBudget());
    }
}
