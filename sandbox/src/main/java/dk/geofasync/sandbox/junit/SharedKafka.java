package dk.geofasync.sandbox.junit;

import dk.geofasync.sandbox.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JVM's shared Kafka broker for a test class, with names for topics and groups that no other
 * test uses: {@code @RegisterExtension static final SharedKafka kafka = new SharedKafka();}
 */
public final class SharedKafka implements BeforeAllCallback {

    private KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = KafkaBroker.shared();
    }

    public String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("the broker is there from @BeforeAll on; register SharedKafka as a static field");
        }
        return broker.bootstrapServers();
    }

    /** Whether {@link #restartBroker} works with this broker (one this JVM runs). */
    public boolean canRestartBroker() {
        return broker != null && broker.canRestart();
    }

    /** Stops the shared broker for {@code down} and starts it again on the same address, its data kept. */
    public void restartBroker(Duration down) {
        broker.restart(down);
    }

    /** Every record on {@code topic} at this moment, from the beginning of each partition to its end (no group). */
    public List<ConsumerRecord<String, byte[]>> readToEnd(String topic) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    /** A topic or group name of its own for one test, e.g. {@code changes-3f2a…}. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
