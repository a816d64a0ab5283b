package dk.geofasync.app.status;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * What staff want to see at a glance: what waits in the outbox, how far behind the relay and the
 * applier are, what failed, and the last good and bad run. Read by {@link StatusReader}; shown by
 * {@code geofa-sync status}, the service's status page and its readiness check.
 *
 * @param kafkaProblem why the consumer lag is unknown (Kafka out of reach), if it is
 * @param geofaBudget the GeoFA request budget, known only to the running service
 */
public record SyncStatus(OffsetDateTime readAt, List<PendingTable> pending, Optional<Duration> relayLag, List<PartitionLag> consumerLag,
                         Optional<String> kafkaProblem, long openDeadLetters, List<DeadLetterLine> deadLetters, Optional<RunLine> lastSucceeded,
                         Optional<RunLine> lastFailed, List<RunLine> recentRuns, Optional<Duration> oldestUnhandled, List<String> serviceProblems,
                         Optional<GeofaBudget> geofaBudget, List<ReconcileLine> reconciles) {

    public SyncStatus {
        reconciles = List.copyOf(reconciles);
    }

    /** Without reconciles on record. */
    public SyncStatus(OffsetDateTime readAt, List<PendingTable> pending, Optional<Duration> relayLag, List<PartitionLag> consumerLag,
                      Optional<String> kafkaProblem, long openDeadLetters, List<DeadLetterLine> deadLetters, Optional<RunLine> lastSucceeded,
                      Optional<RunLine> lastFailed, List<RunLine> recentRuns, Optional<Duration> oldestUnhandled, List<String> serviceProblems,
                      Optional<GeofaBudget> geofaBudget) {
        this(readAt, pending, relayLag, consumerLag, kafkaProblem, openDeadLetters, deadLetters, lastSucceeded, lastFailed, recentRuns,
                oldestUnhandled, serviceProblems, geofaBudget, List.of());
    }

    /** The same with what the running service's stages report (only the service itself knows them). */
    public SyncStatus withServiceProblems(List<String> problems) {
        return new SyncStatus(readAt, pending, relayLag, consumerLag, kafkaProblem, openDeadLetters, deadLetters, lastSucceeded, lastFailed,
                recentRuns, oldestUnhandled, List.copyOf(problems), geofaBudget, reconciles);
    }

    /** The same with Kafka's part unknown for {@code why} (its settings cannot be used, say). */
    public SyncStatus withKafkaProblem(String why) {
        return new SyncStatus(readAt, pending, relayLag, List.of(), Optional.of(why), openDeadLetters, deadLetters, lastSucceeded, lastFailed,
                recentRuns, oldestUnhandled, serviceProblems, geofaBudget, reconciles);
    }

    /** The same with the running service's GeoFA request budget (only the process sending the requests knows it). */
    public SyncStatus withGeofaBudget(GeofaBudget budget) {
        return new SyncStatus(readAt, pending, relayLag, consumerLag, kafkaProblem, openDeadLetters, deadLetters, lastSucceeded, lastFailed,
                recentRuns, oldestUnhandled, serviceProblems, Optional.of(budget), reconciles);
    }

    /**
     * How long what is pending (outbox and Kafka) takes at the budget's pace; empty without the
     * budget's figures or when Kafka is out of reach, as the events waiting there are then unknown.
     */
    public Optional<DrainEstimate> drainEstimate() {
        return kafkaProblem.isPresent() ? Optional.empty() : geofaBudget.map(b -> b.drain(pendingTotal() + consumerLagTotal()));
    }

    /**
     * How long an event may wait on Kafka unhandled before staff are told: the changes topic keeps
     * events 7 days, so this leaves 4 days to bring the applier back (a GeoFA password, a holiday).
     */
    public static final Duration RETENTION_WARNING = Duration.ofDays(3);

    /** Why the applier's position nears the topic's retention, if it does. */
    public Optional<String> retentionWarning() {
        return oldestUnhandled.filter(age -> age.compareTo(RETENTION_WARNING) > 0)
                .map(age -> "an event published " + age.toDays() + " days ago is not applied yet; Kafka drops events after 7 days "
                        + "(the outbox keeps them: geofa-sync replay can send them again)");
    }

    /** Outbox rows of one VK table not yet published, and the age of the oldest. */
    public record PendingTable(String table, long pending, Duration oldestAge) {
    }

    /**
     * Where the applier is in one partition of the changes topic.
     *
     * @param appliedBy the instance Kafka assigned it to, when instances share the partitions ({@code client.id} and host);
     *                  empty when one instance applies them all (it takes them without the group's assignment)
     */
    public record PartitionLag(int partition, long committed, long end, Optional<String> appliedBy) {
        public PartitionLag(int partition, long committed, long end) {
            this(partition, committed, end, Optional.empty());
        }

        public long lag() {
            return Math.max(0, end - committed);
        }
    }

    /** An open dead letter, as staff read it. */
    public record DeadLetterLine(long id, OffsetDateTime createdAt, String table, String key, String op, Optional<String> column, String reason,
                                 Optional<String> geofaMessage) {
    }

    /** A run (sync.run) with its counts. */
    public record RunLine(long id, String kind, OffsetDateTime startedAt, Optional<OffsetDateTime> finishedAt, String outcome, int created,
                          int updated, int deleted, int skipped, int deadLettered, Optional<String> message) {
    }

    /**
     * A VK table's most recent reconcile: when, how many differences of each kind (only kinds found),
     * and how many repairs it queued. {@code unrepaired}: differences no repair was queued for, a
     * person's to look at.
     */
    public record ReconcileLine(String table, long run, Optional<OffsetDateTime> finishedAt, int differences, java.util.Map<String, Integer> kinds,
                                int repairsQueued) {
        public int unrepaired() {
            return Math.max(0, differences - repairsQueued);
        }
    }

    public long pendingTotal() {
        return pending.stream().mapToLong(PendingTable::pending).sum();
    }

    public long consumerLagTotal() {
        return consumerLag.stream().mapToLong(PartitionLag::lag).sum();
    }

    /** Whether anything needs a person: open dead letters, the last run failed, Kafka out of reach, or a reconcile left differences unrepaired. */
    public boolean needsAttention() {
        boolean lastRunFailed = lastFailed.isPresent()
                && lastSucceeded.map(ok -> ok.startedAt().isBefore(lastFailed.get().startedAt())).orElse(true);
        return openDeadLetters > 0 || lastRunFailed || kafkaProblem.isPresent() || retentionWarning().isPresent() || !serviceProblems.isEmpty()
                || reconciles.stream().anyMatch(r -> r.unrepaired() > 0);
    }
}
