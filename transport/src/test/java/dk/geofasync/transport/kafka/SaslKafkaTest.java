package dk.geofasync.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.sandbox.kafka.KafkaBroker;
import dk.geofasync.transport.topic.TopicSetup;
import dk.geofasync.transport.topic.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Kafka that wants a login (SASL/PLAIN or SCRAM-SHA-512) is reached with a properties file whose password comes from a file, and refused without. */
class SaslKafkaTest {

    private static KafkaBroker broker;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.startWithSasl();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Path properties(String name, String password) throws Exception {
        return properties(name, "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule", KafkaBroker.SASL_USER, password);
    }

    /** A client properties file as README's worked example: the password from a file through DirectoryConfigProvider. */
    private static Path properties(String name, String mechanism, String loginModule, String user, String password) throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets-" + name));
        Files.writeString(secrets.resolve("kafka-password"), password, StandardCharsets.UTF_8);
        return Files.writeString(dir.resolve(name + ".properties"), """
                config.providers=dir
                config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=%s
                sasl.jaas.config=%s required \\
                    username="%s" password="${dir:%s:kafka-password}";
                """.formatted(mechanism, loginModule, user, secrets.toString().replace("\\", "/")));
    }

    @Test
    void scramUserIsLetInWithThePropertiesFileAndRefusedWithAWrongPassword() throws Exception {
        String scram = "org.apache.kafka.common.security.scram.ScramLoginModule";
        KafkaConnection kafka = new KafkaConnection(broker.bootstrapServers(),
                KafkaClientProperties.load(properties("scram", "SCRAM-SHA-512", scram, KafkaBroker.SCRAM_USER, KafkaBroker.SCRAM_PASSWORD)));
        TopicSpec spec = new TopicSpec("scram.changes", 1, (short) 1, 1, Duration.ofDays(7), "delete");

        try (Admin admin = kafka.admin(Duration.ofSeconds(20))) {
            assertThat(new TopicSetup(admin).ensure(spec)).isTrue();
        }
        try (Producer<String, byte[]> producer = kafka.producer("scram-test", Map.of())) {
            assertThat(producer.send(new ProducerRecord<>("scram.changes", 0, "vk.facilitet_punkt:2", "{}".getBytes(StandardCharsets.UTF_8))).get().offset())
                    .isZero();
        }
        KafkaConnection wrong = new KafkaConnection(broker.bootstrapServers(),
                KafkaClientProperties.load(properties("scram-wrong", "SCRAM-SHA-512", scram, KafkaBroker.SCRAM_USER, "not-the-scram-password")));
        try (Admin admin = wrong.admin(Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> new TopicSetup(admin).ensure(new TopicSpec("scram.refused", 1, (short) 1, 1, Duration.ofDays(7), "delete")))
                    .hasMessageContaining("Kafka refused the login").hasMessageNotContaining("not-the-scram-password");
        }
    }

    @Test
    void withThePropertiesFileTopicsAreMadeAndEventsGoThrough() throws Exception {
        KafkaConnection kafka = new KafkaConnection(broker.bootstrapServers(), KafkaClientProperties.load(properties("good", KafkaBroker.SASL_PASSWORD)));

        EventRoundTrip.assertTopicMadeAndEventGoesThrough(kafka, "sasl.changes", 2, "sasl-test");
    }

    @Test
    void withoutThePropertiesFileOrWithAWrongPasswordItIsRefusedWithAClearMessage() throws Exception {
        TopicSpec spec = new TopicSpec("sasl.refused", 1, (short) 1, 1, Duration.ofDays(7), "delete");

        try (Admin admin = KafkaConnection.plain(broker.bootstrapServers()).admin(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> new TopicSetup(admin).ensure(spec))
                    .hasMessageContaining("does it need TLS or SASL settings in --kafka-properties?");
        }
        KafkaConnection wrong = new KafkaConnection(broker.bootstrapServers(), KafkaClientProperties.load(properties("wrong", "not-the-password")));
        try (Admin admin = wrong.admin(Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> new TopicSetup(admin).ensure(spec))
                    .hasMessageContaining("Kafka refused the login").hasMessageNotContaining("not-the-password");
        }
    }
}
