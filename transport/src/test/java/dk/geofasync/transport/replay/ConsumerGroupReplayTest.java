package dk.geofasync.transport.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.transport.TransportWorld;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConsumerGroupReplayTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    TransportWorld world;
    String topic;
    String group;
    Instant between;

    @BeforeEach
    void twentyEventsReadByTheGroup() throws Exception {
        world = new TransportWorld(db, kafka);
        topic = world.newTopic(2);
        group = SharedKafka.unique("applier");
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(java.util.Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            // the events carry their own times, a second apart: "between" lies after the first ten
            Instant base = Instant.now().minus(Duration.ofMinutes(10));
            between = base.plusMillis(9_500);
            for (int i = 0; i < 20; i++) {
                p.send(new ProducerRecord<>(topic, null, base.plusSeconds(i).toEpochMilli(), "k" + (i % 4),
                        ("e" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        assertThat(readAsGroup(20)).hasSize(20);
        assertThat(readAsGroup(1)).as("the group is at the end").isEmpty();
    }

    /** Reads as the group until {@code n} records came (or 5 s passed), commits, leaves. */
    private List<String> readAsGroup(int n) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = world.consumer(group)) {
            c.subscribe(List.of(topic));
            Instant end = Instant.now().plusSeconds(n == 1 ? 3 : 10);
            while (values.size() < n && Instant.now().isBefore(end)) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
                c.commitSync();
            }
        }
        return values;
    }

    @Test
    void replayFromOffsetZeroReadsEverythingAgain() {
        try (Admin admin = world.admin()) {
            new ConsumerGroupReplay(admin).move(group, topic, new ConsumerGroupReplay.FromOffset(0, OptionalInt.empty()));
        }

        assertThat(readAsGroup(20)).hasSize(20);
    }

    @Test
    void replayOfOnePartitionRereadsOnlyThatPartition() {
        try (Admin admin = world.admin()) {
            var moved = new ConsumerGroupReplay(admin).move(group, topic, new ConsumerGroupReplay.FromOffset(0, OptionalInt.of(1)));
            assertThat(moved).hasSize(1);
            long inPartition = world.readAll(topic, 20, Duration.ofSeconds(10)).stream().filter(r -> r.partition() == 1).count();
            assertThat(readAsGroup((int) inPartition)).hasSize((int) inPartition);
        }
    }

    @Test
    void replayFromATimeRereadsWhatCameAfterIt() {
        try (Admin admin = world.admin()) {
            new ConsumerGroupReplay(admin).move(group, topic, new ConsumerGroupReplay.FromTime(between));
        }

        assertThat(readAsGroup(10)).containsExactlyInAnyOrder("e10", "e11", "e12", "e13", "e14", "e15", "e16", "e17", "e18", "e19");
    }

    @Test
    void runningGroupIsRefusedWithWhatToDo() {
        try (KafkaConsumer<String, byte[]> running = world.consumer(group); Admin admin = world.admin()) {
            running.subscribe(List.of(topic));
            Instant end = Instant.now().plusSeconds(10);
            while (running.assignment().isEmpty() && Instant.now().isBefore(end)) {
                running.poll(Duration.ofMillis(100));
            }

            assertThatThrownBy(() -> new ConsumerGroupReplay(admin).move(group, topic, new ConsumerGroupReplay.FromOffset(0, OptionalInt.empty())))
                    .hasMessageContaining("consumer group " + group + " is running").hasMessageContaining("stop the applier");
        }
    }
}
