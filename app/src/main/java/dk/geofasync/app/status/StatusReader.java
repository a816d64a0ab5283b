package dk.geofasync.app.status;

import static dk.geofasync.db.jooq.Tables.DEAD_LETTER;
import static dk.geofasync.db.jooq.Tables.RUN;

import dk.geofasync.applier.run.RunOutcome;
import dk.geofasync.capture.housekeeping.OutboxHousekeeping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.db.jooq.tables.records.RunRecord;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jooq.DSLContext;

/** Reads {@link SyncStatus} from VK's sync schema and, for the consumer lag, from Kafka. */
public final class StatusReader {

    private final DSLContext dsl;
    private final Optional<Admin> kafka;
    private final String group;
    private final String topic;

    /** @param kafka empty when Kafka is not configured: the lag is then reported as unknown */
    public StatusReader(DataSource vk, Optional<Admin> kafka, String group, String topic) {
        this.dsl = SyncSchema.dsl(vk);
        this.kafka = kafka;
        this.group = group;
        this.topic = topic;
    }

    public SyncStatus read(int runs, int letters) {
        List<SyncStatus.PendingTable> pending = dsl.resultQuery(
                        "select source_table, pending, extract(epoch from oldest_age) from sync.outbox_pending order by source_table")
                .fetch(r -> new SyncStatus.PendingTable(r.get(0, String.class), r.get(1, Long.class), seconds(r.get(2, Double.class))));
        Optional<Duration> relayLag = pending.stream().map(SyncStatus.PendingTable::oldestAge).max(Duration::compareTo);
        List<SyncStatus.PartitionLag> lag = new ArrayList<>();
        Optional<String> kafkaProblem = Optional.empty();
        if (kafka.isEmpty()) {
            kafkaProblem = Optional.of("Kafka is not configured (--kafka or GEOFA_SYNC_KAFKA_BOOTSTRAP): consumer lag unknown");
        } else {
            try {
                lag = consumerLag(kafka.get());
            } catch (Exception e) {
                kafkaProblem = Optional.of("Kafka out of reach: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            }
        }
        long open = dsl.fetchCount(DEAD_LETTER, DEAD_LETTER.STATUS.eq("open"));
        List<SyncStatus.DeadLetterLine> openLetters = dsl.selectFrom(DEAD_LETTER).where(DEAD_LETTER.STATUS.eq("open"))
                .orderBy(DEAD_LETTER.ID).limit(letters)
                .fetch(d -> new SyncStatus.DeadLetterLine(d.getId(), d.getCreatedAt(), d.getSourceTable(), d.getRowKey(), d.getOp(),
                        Optional.ofNullable(d.getColumnName()), d.getReason(), Optional.ofNullable(d.getGeofaMessage())));
        return new SyncStatus(OffsetDateTime.now(), pending, relayLag, lag, kafkaProblem, open, openLetters,
                lastRun(RUN.OUTCOME.eq(RunOutcome.SUCCEEDED.code())), lastRun(RUN.OUTCOME.eq(RunOutcome.FAILED.code())), recentRuns(runs), oldestUnhandled(), List.of(),
                Optional.empty(), reconciles());
    }

    /** Each VK table's most recent reconcile ({@code sync.reconcile_latest}). */
    private List<SyncStatus.ReconcileLine> reconciles() {
        String[] kinds = {"changed_in_geofa", "stale", "missing", "not_written_back", "deleted_in_vk", "orphan", "linked_twice", "not_visible", "ambiguous"};
        return dsl.resultQuery("select source_table, run_id, finished_at, differences, repairs_queued, " + String.join(", ", kinds)
                        + " from sync.reconcile_latest order by source_table")
                .fetch(r -> {
                    java.util.Map<String, Integer> found = new java.util.LinkedHashMap<>();
                    for (int i = 0; i < kinds.length; i++) {
                        int n = r.get(5 + i, Integer.class);
                        if (n > 0) {
                            found.put(kinds[i], n);
                        }
                    }
                    return new SyncStatus.ReconcileLine(r.get(0, String.class), r.get(1, Long.class),
                            Optional.ofNullable(r.get(2, OffsetDateTime.class)), r.get(3, Integer.class), found, r.get(4, Integer.class));
                });
    }

    /**
     * The age of the oldest event on Kafka for more than a day that the applier has not handled. Rows
     * handled that long ago are purged daily, so the scan finds mostly the few that wait.
     */
    private Optional<Duration> oldestUnhandled() {
        Double seconds = dsl.resultQuery("select extract(epoch from now() - min(published_at)) from sync.outbox o "
                + "where o.published_at < now() - interval '1 day' and not (" + OutboxHousekeeping.handledSql("o.id") + ")")
                .fetchOne(0, Double.class);
        return Optional.ofNullable(seconds).map(StatusReader::seconds);
    }

    /** The last {@code limit} runs, newest first. */
    public List<SyncStatus.RunLine> recentRuns(int limit) {
        return dsl.selectFrom(RUN).orderBy(RUN.ID.desc()).limit(limit).fetch(StatusReader::line);
    }

    private Optional<SyncStatus.RunLine> lastRun(org.jooq.Condition outcome) {
        return dsl.selectFrom(RUN).where(outcome).orderBy(RUN.ID.desc()).limit(1).fetchOptional().map(StatusReader::line);
    }

    private List<SyncStatus.PartitionLag> consumerLag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = java.util.stream.IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, String> appliedBy = appliedBy(admin);
        List<SyncStatus.PartitionLag> lag = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            OffsetAndMetadata c = committed.get(tp);
            lag.add(new SyncStatus.PartitionLag(p, c == null ? 0 : c.offset(), ends.get(tp).offset(), Optional.ofNullable(appliedBy.get(tp))));
        }
        return lag;
    }

    /** Which instance Kafka assigned each partition to, when instances share them (a lone instance takes its partitions itself: none). */
    private Map<TopicPartition, String> appliedBy(Admin admin) throws Exception {
        Map<TopicPartition, String> by = new java.util.HashMap<>();
        org.apache.kafka.clients.admin.ConsumerGroupDescription described;
        try {
            described = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return by; // a user without the right to describe the group still sees the positions, not who holds them
        }
        for (org.apache.kafka.clients.admin.MemberDescription m : described.members()) {
            m.assignment().topicPartitions().forEach(tp -> by.put(tp, m.clientId() + " at " + m.host().replaceFirst("^/", "")));
        }
        return by;
    }

    static SyncStatus.RunLine line(RunRecord r) {
        return new SyncStatus.RunLine(r.getId(), r.getKind(), r.getStartedAt(), Optional.ofNullable(r.getFinishedAt()), r.getOutcome(),
                r.getCreatedCount(), r.getUpdatedCount(), r.getDeletedCount(), r.getSkippedCount(), r.getDeadLetterCount(),
                Optional.ofNullable(r.getMessage()));
    }

    private static Duration seconds(Double s) {
        return s == null ? Duration.ZERO : Duration.ofMillis((long) (s * 1000));
    }

}
