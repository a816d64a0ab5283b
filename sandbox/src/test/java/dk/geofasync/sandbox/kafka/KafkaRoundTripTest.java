package dk.geofasync.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.sandbox.junit.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaRoundTripTest {

    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    private static final int PARTITIONS = 3;

    @Test
    void idempotentProducerAndConsumerGroupCommitRoundTrip() throws Exception {
        String topic = SharedKafka.unique("roundtrip");
        String group = SharedKafka.unique("applier");
        createTopic(topic);

        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 30; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "vk.facilitet_punkt:" + (i % 5), "change " + i)).get());
            }
        }

        List<ConsumerRecord<String, String>> received = pollAtLeast(group, topic, 30);
        assertThat(received).hasSize(30);
        // all changes of one object share a partition, in the order they were sent
        for (int k = 0; k < 5; k++) {
            String key = "vk.facilitet_punkt:" + k;
            List<String> values = received.stream().filter(r -> r.key().equals(key)).map(ConsumerRecord::value).toList();
            List<String> expected = new ArrayList<>();
            for (int i = k; i < 30; i += 5) {
                expected.add("change " + i);
            }
            assertThat(values).isEqualTo(expected);
            assertThat(received.stream().filter(r -> r.key().equals(key)).map(ConsumerRecord::partition).distinct()).hasSize(1);
        }

        // the group's committed offsets cover everything: a restarted member reads nothing again
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            long total = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            assertThat(total).isEqualTo(30);
        }
        assertThat(pollFor(group, topic, Duration.ofSeconds(2))).isEmpty();
        assertThat(sent).extracting(RecordMetadata::offset).allMatch(o -> o >= 0);
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(Set.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** Reads until {@code count} records arrived (or 30 s passed), committing after each poll. */
    private static List<ConsumerRecord<String, String>> pollAtLeast(String group, String topic, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(30);
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            while (records.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                consumer.commitSync();
            }
        }
        return records;
    }

    private static List<ConsumerRecord<String, String>> pollFor(String group, String topic, Duration time) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Instant deadline = Instant.now().plus(time);
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            while (Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
