package dk.geofasync.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trial broker of {@code geofa-sync kafka}: a real single-node Kafka that keeps its data across restarts. */
class StandaloneKafkaTest {

    @Test
    void brokerStartedAgainOnItsDataFolderStillHasItsTopicsAndMessages(@TempDir Path dir) throws Exception {
        StandaloneKafka.Settings settings = new StandaloneKafka.Settings("127.0.0.1", freePortPair(), dir.resolve("kafka-data"));
        try (StandaloneKafka kafka = StandaloneKafka.start(settings)) {
            assertThat(kafka.formatted()).isTrue();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("trial.changes", 2, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("trial.changes", "vk.facilitet_punkt:1", "kept")).get();
            }
        }

        try (StandaloneKafka again = StandaloneKafka.start(settings)) {
            assertThat(again.formatted()).as("its own cluster again, not a new one").isFalse();
            assertThat(read(again.bootstrapServers(), "trial.changes")).containsExactly("kept");
        }
    }

    @Test
    void settingsRefuseWhatIsNoHostOrPort() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StandaloneKafka.Settings("evil;rm", 9092, Path.of("x")))
                .hasMessageContaining("host");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StandaloneKafka.Settings("localhost", 65535, Path.of("x")))
                .hasMessageContaining("controller takes the next one");
    }

    private static List<String> read(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "trial");
        p.put("auto.offset.reset", "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    /** A port whose next port is free as well (the controller's). */
    private static int freePortPair() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                int port = s.getLocalPort();
                if (port < 65534) {
                    try (ServerSocket next = new ServerSocket(port + 1)) {
                        return port;
                    } catch (java.io.IOException taken) {
                        // try another
                    }
                }
            }
        }
        throw new IllegalStateException("no two free neighbouring ports");
    }
}
