package dk.geofasync.applier.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.core.event.DeadLetterEvent;
import dk.geofasync.core.event.DeadLetterEventJson;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeadLetterPublisherTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static DeadLetters letters;
    String topic;

    @BeforeAll
    static void schema() {
        SyncSchema.migrate(vk.dataSource());
        letters = new DeadLetters(vk.dataSource());
    }

    @BeforeEach
    void freshTopic() throws Exception {
        vk.execute("delete from sync.dead_letter");
        topic = SharedKafka.unique("dead-letters");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    @Test
    void eachLetterIsPublishedOnceAndAgainWhenItsStateChanges() {
        long first = letters.addMalformed("t", 0, 1, "vk.facilitet_punkt:1", "{x".getBytes(StandardCharsets.UTF_8), "malformed change event: not JSON")
                .orElseThrow();
        letters.addMalformed("t", 0, 2, "vk.facilitet_punkt:2", "{y".getBytes(StandardCharsets.UTF_8), "malformed change event: not JSON");
        try (Producer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
            DeadLetterPublisher publisher = new DeadLetterPublisher(letters, producer, topic);

            assertThat(publisher.publishPending()).isEqualTo(2);
            assertThat(publisher.publishPending()).as("nothing new").isZero();
            vk.execute("update sync.dead_letter set status = 'discarded', resolved_at = now(), updated_at = now(), published_at = null where id = " + first);
            assertThat(publisher.publishPending()).isEqualTo(1);
        }

        List<ConsumerRecord<String, byte[]>> records = kafka.readToEnd(topic);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("vk.facilitet_punkt:1", "vk.facilitet_punkt:2", "vk.facilitet_punkt:1");
        DeadLetterEvent last = DeadLetterEventJson.read(records.get(2).value());
        assertThat(last.letterId()).isEqualTo(first);
        assertThat(last.status()).isEqualTo(DeadLetterEvent.Status.DISCARDED);
        assertThat(last.resolvedAt()).isPresent();
        assertThat(last.reason()).isEqualTo("malformed change event: not JSON");
    }

    @Test
    void letterThatChangesWhileBeingPublishedStaysToBePublished() {
        long id = letters.addMalformed("t", 0, 3, "vk.rute_linje:7", "{".getBytes(StandardCharsets.UTF_8), "malformed change event: not JSON").orElseThrow();
        List<DeadLetters.Pending> read = letters.unpublished(10);
        vk.execute("update sync.dead_letter set status = 'discarded', resolved_at = now(), updated_at = clock_timestamp() where id = " + id);

        letters.published(read);

        assertThat(letters.unpublished(10)).extracting(p -> p.letter().status()).as("the newer state still goes out")
                .containsExactly(DeadLetterEvent.Status.DISCARDED);
    }

    @Test
    void kafkaOutOfReachLeavesTheLettersForTheNextRound() {
        letters.addMalformed("t", 0, 4, "vk.facilitet_punkt:3", "{".getBytes(StandardCharsets.UTF_8), "malformed change event: not JSON");
        try (Producer<String, byte[]> nowhere = new KafkaProducer<>(Map.of("bootstrap.servers", "127.0.0.1:9", "max.block.ms", 1_000,
                "delivery.timeout.ms", 1_500, "request.timeout.ms", 1_000), new StringSerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> new DeadLetterPublisher(letters, nowhere, topic).publishPending()).isInstanceOf(RuntimeException.class);
        }
        assertThat(letters.unpublished(10)).hasSize(1);

        try (Producer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
            assertThat(new DeadLetterPublisher(letters, producer, topic).publishPending()).isEqualTo(1);
        }
        assertThat(kafka.readToEnd(topic)).hasSize(1);
        assertThat(letters.unpublished(10)).isEmpty();
    }

    private static Producer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"), new StringSerializer(), new ByteArraySerializer());
    }
}
