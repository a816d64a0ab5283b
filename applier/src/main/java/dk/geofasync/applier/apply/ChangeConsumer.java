package dk.geofasync.applier.apply;

import dk.geofasync.applier.deadletter.DeadLetters;
import dk.geofasync.applier.lease.PartitionOwnership;
import dk.geofasync.core.event.ChangeEventJson;
import dk.geofasync.core.event.MalformedEventException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds change events from Kafka to the {@link ChangeApplier}, and commits each partition's offset
 * up to its first event not handled to the end. A poll's events of all partitions go to the applier
 * together, each partition's in order (one object's events are always on one partition), so that
 * one GeoFA request carries the work of every partition: the request budget, not the number of
 * partitions, bounds the traffic. When GeoFA goes out of reach part-way, what was finished stays
 * committed and only the rest comes again with the next poll; a partition never repeats work it
 * finished (and what it does repeat, the inbox drops without a request).
 */
public final class ChangeConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeConsumer.class);
    /** Longest poll while collecting for a request the budget holds back. */
    private static final Duration COLLECT_STEP = Duration.ofMillis(50);

    private final Consumer<String, byte[]> consumer;
    private final ChangeApplier applier;
    private final DeadLetters deadLetters;
    private final Replays replays;
    private final Optional<PartitionOwnership> shared;
    private volatile Optional<String> setBack = Optional.empty();
    private java.util.function.BooleanSupplier paused = () -> false;
    private boolean heldForPause;

    /** The only applier of the group: the consumer is assigned every partition. */
    public ChangeConsumer(Consumer<String, byte[]> consumer, ChangeApplier applier, DeadLetters deadLetters, Replays replays) {
        this(consumer, applier, deadLetters, replays, Optional.empty());
    }

    /** @param shared when instances share the group's partitions: which ones this instance may apply now (the consumer subscribed with it) */
    public ChangeConsumer(Consumer<String, byte[]> consumer, ChangeApplier applier, DeadLetters deadLetters, Replays replays,
                          Optional<PartitionOwnership> shared) {
        this.consumer = consumer;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.replays = replays;
        this.shared = shared;
    }

    /** Obeys staff's pause ({@link dk.geofasync.applier.pause.ApplierPause}): while it holds, nothing is applied. */
    public ChangeConsumer obeying(java.util.function.BooleanSupplier pause) {
        this.paused = pause;
        return this;
    }

    /**
     * One poll: applies what came, commits; returns what was done, by outcome (events left waiting
     * not counted). Whatever goes wrong, every partition of the poll is either committed past the
     * events that were handled or set back to its first unhandled event: the consumer's position
     * never moves past an event that was not handled.
     */
    public Map<Applied, Integer> pollOnce(Duration timeout) {
        Map<Applied, Integer> done = new EnumMap<>(Applied.class);
        setBack = Optional.empty();
        if (paused.getAsBoolean()) {
            // still polling, so the group keeps this consumer; every partition stays where it is
            consumer.pause(consumer.assignment());
            heldForPause = true;
            consumer.poll(timeout);
            return done;
        }
        if (heldForPause) {
            heldForPause = false;
            // only partitions this instance may apply: those still waiting for their lease stay paused (settle takes them)
            consumer.resume(consumer.assignment().stream().filter(p -> shared.map(o -> o.owns(p)).orElse(true)).toList());
        }
        shared.ifPresent(PartitionOwnership::settle);
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records = collect(timeout);
        if (records.isEmpty()) {
            return done;
        }
        Map<TopicPartition, Long> resumeAt = firstOffsets(records);
        try {
            apply(records, resumeAt, done);
        } finally {
            // a partition not committed to its end starts again at its first unhandled event
            for (Map.Entry<TopicPartition, Long> p : resumeAt.entrySet()) {
                List<ConsumerRecord<String, byte[]>> of = records.get(p.getKey());
                if (p.getValue() <= of.get(of.size() - 1).offset() && consumer.assignment().contains(p.getKey())) {
                    consumer.seek(p.getKey(), p.getValue());
                }
            }
        }
        return done;
    }

    /**
     * Polls until events come, then goes on polling while GeoFA's request budget would hold the
     * request back anyway (up to one request's worth of events): what comes in that time goes in
     * this request instead of the next. Polling, not sleeping: Kafka's consumer fetches only inside
     * {@code poll}, so after a sleep it would hand over what it fetched before the sleep.
     */
    private Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> collect(Duration timeout) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> collected = new LinkedHashMap<>();
        int count = add(collected, consumer.poll(timeout));
        try {
            count -= dropNotOwned(collected);
            while (count > 0 && count < applier.objectsPerRequest()) {
                Duration wait = applier.untilRequestSlot();
                if (wait.isZero()) {
                    break;
                }
                count += add(collected, consumer.poll(wait.compareTo(COLLECT_STEP) < 0 ? wait : COLLECT_STEP));
                count -= dropNotOwned(collected);
            }
        } catch (RuntimeException e) {
            firstOffsets(collected).forEach((p, offset) -> {
                if (consumer.assignment().contains(p)) {
                    consumer.seek(p, offset); // nothing collected is skipped
                }
            });
            throw e;
        }
        return collected;
    }

    /**
     * When instances share the partitions: drops what Kafka took away while collecting. Its new owner
     * reads it from the last committed offset (and where Kafka gave it back here at once, Kafka set
     * this consumer's position there itself: no seek). Returns how many were dropped.
     */
    private int dropNotOwned(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> collected) {
        if (shared.isEmpty()) {
            return 0;
        }
        int dropped = 0;
        for (var it = collected.entrySet().iterator(); it.hasNext(); ) {
            var p = it.next();
            if (!shared.get().owns(p.getKey())) {
                dropped += p.getValue().size();
                it.remove();
            }
        }
        return dropped;
    }

    private static int add(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> collected, ConsumerRecords<String, byte[]> records) {
        for (TopicPartition p : records.partitions()) {
            collected.computeIfAbsent(p, k -> new ArrayList<>()).addAll(records.records(p));
        }
        return records.count();
    }

    private static Map<TopicPartition, Long> firstOffsets(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        records.forEach((p, of) -> first.put(p, of.get(0).offset()));
        return first;
    }

    /** Applies the poll; moves each partition's entry in {@code resumeAt} past what was handled and committed. */
    private void apply(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records, Map<TopicPartition, Long> resumeAt, Map<Applied, Integer> done) {
        replays.refresh();
        List<ChangeApplier.Incoming> events = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>();
        Map<TopicPartition, Long> readable = new HashMap<>();
        RuntimeException failure = null;
        for (TopicPartition partition : records.keySet()) {
            List<ConsumerRecord<String, byte[]>> of = records.get(partition);
            try {
                read(of, done).forEach((record, event) -> {
                    sources.add(record);
                    events.add(event);
                });
                readable.put(partition, of.get(of.size() - 1).offset() + 1);
            } catch (RuntimeException e) {
                // a record that could not even be filed (VK failing): this partition comes again, the others go on
                LOG.warn("{}: {}; its events from offset {} come again", partition, e.getMessage(), of.get(0).offset());
                failure = failure == null ? e : failure;
            }
        }
        List<Applied> outcomes = applier.applyAll(events);
        // per partition: committed up to its first event left waiting (or to its end)
        Map<TopicPartition, Long> commitTo = new HashMap<>(readable);
        for (int i = 0; i < outcomes.size(); i++) {
            ConsumerRecord<String, byte[]> r = sources.get(i);
            TopicPartition partition = new TopicPartition(r.topic(), r.partition());
            if (outcomes.get(i) == Applied.WAITING) {
                commitTo.merge(partition, r.offset(), Math::min);
            } else {
                done.merge(outcomes.get(i), 1, Integer::sum);
            }
        }
        applier.lastStop().ifPresent(reason -> setBack = Optional.of(reason));
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        commitTo.forEach((p, offset) -> {
            if (offset > resumeAt.get(p)) {
                commit.put(p, new OffsetAndMetadata(offset));
            }
        });
        if (!commit.isEmpty()) {
            try {
                consumer.commitSync(commit);
            } catch (org.apache.kafka.common.errors.RebalanceInProgressException | org.apache.kafka.clients.consumer.CommitFailedException e) {
                // instances sharing the partitions rebalance now and then: the batch's events come again (here or at their
                // new owner) and the inbox drops them without a request
                LOG.info("offsets not committed during a rebalance of the group ({}); the batch's events come again and are dropped as handled",
                        e.getClass().getSimpleName());
                commitTo = Map.of(); // every partition of the poll starts again at its first event
            }
        }
        resumeAt.putAll(commitTo);
        setBack.ifPresent(reason -> LOG.warn("{} event(s) wait on Kafka: {}", outcomes.stream().filter(a -> a == Applied.WAITING).count(), reason));
        if (failure != null) {
            throw failure; // the caller logs it and pauses; the partition's events come again
        }
    }

    /** Why the last poll set partitions back because GeoFA did not answer, if it did: the events wait on Kafka. */
    public Optional<String> setBackReason() {
        return setBack;
    }

    /** Parses the records, in order; one that is not a readable event is filed as a dead letter once, by its place on the topic. */
    private Map<ConsumerRecord<String, byte[]>, ChangeApplier.Incoming> read(List<ConsumerRecord<String, byte[]>> records, Map<Applied, Integer> done) {
        Map<ConsumerRecord<String, byte[]>, ChangeApplier.Incoming> events = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                events.put(r, new ChangeApplier.Incoming(ChangeEventJson.read(r.value()), r.value(),
                        Optional.of(new ChangeApplier.Origin(r.topic(), r.partition(), r.offset())), replays.since(r.partition(), r.offset())));
            } catch (MalformedEventException e) {
                Optional<Long> id = deadLetters.addMalformed(r.topic(), r.partition(), r.offset(), r.key(), r.value(), e.getMessage());
                id.ifPresent(letter -> LOG.error("dead letter #{}: record {} at {}-{} offset {}: {}", letter, r.key(), r.topic(), r.partition(),
                        r.offset(), e.getMessage()));
                done.merge(id.isPresent() ? Applied.DEAD_LETTERED : Applied.DUPLICATE, 1, Integer::sum);
            }
        }
        return events;
    }

    @Override
    public void close() {
        // the consumer and the applier's resources belong to the caller
    }
}
