package dk.geofasync.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.transport.topic.TopicSetup;
import dk.geofasync.transport.topic.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** Proof that a connection's settings let every kind of client through: a topic made, an event produced and read back. */
final class EventRoundTrip {

    private EventRoundTrip() {
    }

    static void assertTopicMadeAndEventGoesThrough(KafkaConnection kafka, String topic, int partitions, String client) throws Exception {
        try (Admin admin = kafka.admin(Duration.ofSeconds(20))) {
            assertThat(new TopicSetup(admin).ensure(new TopicSpec(topic, partitions, (short) 1, 1, Duration.ofDays(7), "delete"))).isTrue();
        }
        try (Producer<String, byte[]> producer = kafka.producer(client, Map.of())) {
            producer.send(new ProducerRecord<>(topic, 0, "vk.facilitet_punkt:1", "{}".getBytes(StandardCharsets.UTF_8))).get();
        }
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer(client, Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            ConsumerRecords<String, byte[]> records = ConsumerRecords.empty();
            for (int i = 0; i < 20 && records.isEmpty(); i++) {
                records = consumer.poll(Duration.ofMillis(500));
            }
            assertThat(records.count()).isEqualTo(1);
            assertThat(records.iterator().next().key()).isEqualTo("vk.facilitet_punkt:1");
        }
    }
}
