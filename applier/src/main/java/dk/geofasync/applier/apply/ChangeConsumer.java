package dk.geofasync.applier.apply;

import dk.geofasync.applier.deadletter.DeadLetters;
import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.core.event.ChangeEventJson;
import dk.geofasync.core.event.MalformedEventException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds change events from Kafka to {@link ChangeApplier}s, each partition's events in order, and
 * commits a partition's offset only past events that were handled to the end. Partitions are
 * applied side by side (one object's events are always on one partition, so their order holds):
 * GeoFA's answer time is waited for in parallel. When a partition's events could not be finished
 * (GeoFA out of reach, an answer lost, VK failing), that partition is set back to its first event,
 * which comes again with the next poll; other partitions still go on.
 */
public final class ChangeConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeConsumer.class);

    private final Consumer<String, byte[]> consumer;
    private final BlockingQueue<ChangeApplier> idle;
    private final ExecutorService workers;
    private final DeadLetters deadLetters;
    private final Replays replays;
    private volatile Optional<String> setBack = Optional.empty();

    /**
     * @param appliers makes one applier per parallel partition (each keeps per-batch state)
     * @param parallelism partitions applied at the same time; GeofaClient bounds requests in flight anyway
     */
    public ChangeConsumer(Consumer<String, byte[]> consumer, Supplier<ChangeApplier> appliers, int parallelism, DeadLetters deadLetters,
                          Replays replays) {
        this.consumer = consumer;
        this.idle = new ArrayBlockingQueue<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            idle.add(appliers.get());
        }
        this.workers = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "geofa-sync-apply");
            t.setDaemon(true);
            return t;
        });
        this.deadLetters = deadLetters;
        this.replays = replays;
    }

    /**
     * One poll: applies what came, commits; returns what was done, by outcome. Whatever goes wrong,
     * every partition of the poll is either committed past events that were handled or set back to
     * its first event: the consumer's position never moves past an event that was not handled.
     */
    public Map<Applied, Integer> pollOnce(Duration timeout) {
        Map<Applied, Integer> done = new EnumMap<>(Applied.class);
        setBack = Optional.empty();
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        if (records.isEmpty()) {
            return done;
        }
        Set<TopicPartition> unsettled = new HashSet<>(records.partitions());
        try {
            return apply(records, unsettled, done);
        } finally {
            for (TopicPartition p : unsettled) {
                consumer.seek(p, records.records(p).get(0).offset());
            }
        }
    }

    /** Applies the poll's partitions side by side; removes from {@code unsettled} each partition committed. */
    private Map<Applied, Integer> apply(ConsumerRecords<String, byte[]> records, Set<TopicPartition> unsettled, Map<Applied, Integer> done) {
        replays.refresh();
        Map<TopicPartition, Future<List<Applied>>> applying = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (TopicPartition partition : records.partitions()) {
            try {
                List<ChangeApplier.Incoming> events = read(records.records(partition), done);
                applying.put(partition, workers.submit(() -> applyOn(events)));
            } catch (RuntimeException e) {
                // a record could not even be filed (VK failing): this partition comes again, the others go on
                LOG.warn("{}: {}; its events from offset {} come again", partition, e.getMessage(), records.records(partition).get(0).offset());
                failure = failure == null ? e : failure;
            }
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (Map.Entry<TopicPartition, Future<List<Applied>>> p : applying.entrySet()) {
            List<ConsumerRecord<String, byte[]>> ofPartition = records.records(p.getKey());
            try {
                p.getValue().get().forEach(a -> done.merge(a, 1, Integer::sum));
                commit.put(p.getKey(), new OffsetAndMetadata(ofPartition.get(ofPartition.size() - 1).offset() + 1));
            } catch (ExecutionException e) {
                // what was finished is in the inbox and will be dropped when it comes again
                if (e.getCause() instanceof GeofaException.Unavailable || e.getCause() instanceof GeofaException.OutcomeUnknown) {
                    LOG.warn("{}: {}; its events from offset {} come again", p.getKey(), e.getCause().getMessage(), ofPartition.get(0).offset());
                    setBack = Optional.of(e.getCause().getMessage());
                } else if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while applying " + p.getKey(), e);
            }
        }
        if (!commit.isEmpty()) {
            consumer.commitSync(commit);
            unsettled.removeAll(commit.keySet());
        }
        if (failure != null) {
            throw failure; // the caller logs it and pauses; the partition's events come again
        }
        return done;
    }

    /** Why the last poll set partitions back because GeoFA did not answer, if it did: the events wait on Kafka. */
    public Optional<String> setBackReason() {
        return setBack;
    }

    /** Parses the records; one that is not a readable event is filed as a dead letter once, by its place on the topic. */
    private List<ChangeApplier.Incoming> read(List<ConsumerRecord<String, byte[]>> records, Map<Applied, Integer> done) {
        List<ChangeApplier.Incoming> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                events.add(new ChangeApplier.Incoming(ChangeEventJson.read(r.value()), r.value(),
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

    private List<Applied> applyOn(List<ChangeApplier.Incoming> events) throws InterruptedException {
        ChangeApplier applier = idle.take();
        try {
            return applier.applyAll(events);
        } finally {
            idle.put(applier);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
