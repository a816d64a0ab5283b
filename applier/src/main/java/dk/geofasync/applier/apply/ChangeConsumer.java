package dk.geofasync.applier.apply;

import dk.geofasync.applier.deadletter.DeadLetters;
import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.core.event.ChangeEventJson;
import dk.geofasync.core.event.MalformedEventException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
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
 * Feeds change events from Kafka to the {@link ChangeApplier}, partition by partition in order, and
 * commits a partition's offset only past events that were handled to the end. When GeoFA is out of
 * reach (or an answer was lost), the partition is set back to that event, which comes again with
 * the next poll; events of other partitions still go on.
 */
public final class ChangeConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeConsumer.class);

    private final Consumer<String, byte[]> consumer;
    private final ChangeApplier applier;
    private final DeadLetters deadLetters;
    private final Replays replays;

    public ChangeConsumer(Consumer<String, byte[]> consumer, ChangeApplier applier, DeadLetters deadLetters, Replays replays) {
        this.consumer = consumer;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.replays = replays;
    }

    /** One poll: applies what came, commits; returns what was done, by outcome. */
    public Map<Applied, Integer> pollOnce(Duration timeout) {
        Map<Applied, Integer> done = new EnumMap<>(Applied.class);
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        if (!records.isEmpty()) {
            replays.refresh();
        }
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> ofPartition = records.records(partition);
            List<ChangeApplier.Incoming> events = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : ofPartition) {
                try {
                    events.add(new ChangeApplier.Incoming(ChangeEventJson.read(r.value()), r.value(),
                            Optional.of(new ChangeApplier.Origin(r.topic(), r.partition(), r.offset())), replays.since(r.partition(), r.offset())));
                } catch (MalformedEventException e) {
                    long id = deadLetters.addMalformed(r.key(), r.value(), e.getMessage());
                    LOG.error("dead letter #{}: record {} at offset {}: {}", id, r.key(), r.offset(), e.getMessage());
                    done.merge(Applied.DEAD_LETTERED, 1, Integer::sum);
                }
            }
            try {
                applier.applyAll(events).forEach(a -> done.merge(a, 1, Integer::sum));
                commit.put(partition, new OffsetAndMetadata(ofPartition.get(ofPartition.size() - 1).offset() + 1));
            } catch (GeofaException.Unavailable | GeofaException.OutcomeUnknown e) {
                // what was finished is in the inbox and will be dropped when it comes again
                LOG.warn("{}: {}; its events from offset {} come again", partition, e.getMessage(), ofPartition.get(0).offset());
                consumer.seek(partition, ofPartition.get(0).offset());
            }
        }
        if (!commit.isEmpty()) {
            consumer.commitSync(commit);
        }
        return done;
    }
}
