package dk.geofasync.applier.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.applier.deadletter.DeadLetters;
import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.applier.geofa.RequestBudget;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The consumer's position against a real broker and VK: nothing is skipped when a poll fails, nothing is filed twice. */
class ChangeConsumerTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    String topic;
    String group;

    @BeforeAll
    static void schema() {
        SyncSchema.migrate(vk.dataSource());
    }

    @BeforeEach
    void freshTopic() throws Exception {
        vk.execute("delete from sync.dead_letter");
        topic = SharedKafka.unique("changes");
        group = SharedKafka.unique("applier");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
    }

    @Test
    void pollThatFailsToFileOnePartitionLeavesNoEventOfItBehind() throws Exception {
        send(0, "vk.facilitet_punkt:1", "{not json");
        send(1, "vk.facilitet_punkt:2", "{nor this");
        // VK refuses to file the letter of row 1 (a failing VK, as a jsonb error once did)
        vk.execute("""
                create function sync.refuse_row_1() returns trigger language plpgsql as $$
                begin if new.row_key = '1' then raise exception 'VK is failing'; end if; return new; end $$;
                create trigger refuse_row_1 before insert on sync.dead_letter for each row execute function sync.refuse_row_1()""");
        try (KafkaConsumer<String, byte[]> consumer = consumer(); ChangeConsumer changes = changeConsumer(consumer)) {
            assertThatThrownBy(() -> changes.pollOnce(Duration.ofSeconds(10))).hasMessageContaining("VK is failing");
            assertThat(rowKeysFiled()).containsExactly("2");

            vk.execute("drop trigger refuse_row_1 on sync.dead_letter; drop function sync.refuse_row_1()");
            for (int i = 0; i < 3; i++) {
                changes.pollOnce(Duration.ofSeconds(1));
            }
            assertThat(rowKeysFiled()).as("the record of the failed poll came again and was filed; the other one once")
                    .containsExactlyInAnyOrder("1", "2");
            assertThat(consumer.committed(java.util.Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1))).values())
                    .allSatisfy(o -> assertThat(o.offset()).isEqualTo(1));
        }
    }

    @Test
    void malformedRecordDeliveredAgainIsFiledOnce() throws Exception {
        send(0, "vk.facilitet_punkt:3", "{\"schema\":\"geofa-sync.change\",\"version\":1,\u0000}");
        try (KafkaConsumer<String, byte[]> consumer = consumer(); ChangeConsumer changes = changeConsumer(consumer)) {
            assertThat(changes.pollOnce(Duration.ofSeconds(10))).containsEntry(Applied.DEAD_LETTERED, 1);
            consumer.seek(new TopicPartition(topic, 0), 0); // delivered again, as after a crash before the commit
            assertThat(changes.pollOnce(Duration.ofSeconds(10))).containsEntry(Applied.DUPLICATE, 1);
        }
        assertThat(rowKeysFiled()).containsExactly("3");
    }

    @Test
    void eventsThatComeWhileTheBudgetHoldsTheRequestBackGoWithTheEventsBeforeThem() throws Exception {
        // 30 a minute: a burst of 3, then one every 2 s; the burst is used up, so the next request waits about 2 s
        RequestBudget budget = new RequestBudget(30, Clock.systemUTC());
        for (int i = 0; i < 3; i++) {
            budget.acquire();
        }
        send(0, "vk.facilitet_punkt:4", "{first");
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(400);
                send(1, "vk.facilitet_punkt:5", "{second, while the first waits for the budget");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (KafkaConsumer<String, byte[]> consumer = consumer(); ChangeConsumer changes = changeConsumer(consumer, budget)) {
            later.start();
            // malformed records are handled without a request, so what one poll took shows as its dead letters
            assertThat(changes.pollOnce(Duration.ofSeconds(10))).as("both in one round: the second did not wait for the round after")
                    .containsEntry(Applied.DEAD_LETTERED, 2);
        } finally {
            later.join();
        }
        assertThat(rowKeysFiled()).containsExactly("4", "5");
        assertThat(budget.usage().requests()).as("collecting took no slot").isEqualTo(3);
    }

    private List<String> rowKeysFiled() {
        return SyncSchema.dsl(vk.dataSource()).fetch("select row_key from sync.dead_letter order by row_key").getValues(0, String.class);
    }

    private void send(int partition, String key, String value) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, partition, key, value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        c.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
        return c;
    }

    private ChangeConsumer changeConsumer(KafkaConsumer<String, byte[]> consumer) {
        return changeConsumer(consumer, new RequestBudget(0, Clock.systemUTC()));
    }

    private ChangeConsumer changeConsumer(KafkaConsumer<String, byte[]> consumer, RequestBudget budget) {
        // no event here reaches GeoFA: nothing listens at this address
        GeofaClient nowhere = new GeofaClient(GeofaSettings.of(URI.create("http://127.0.0.1:9"), "kom630", Secret.of("x")), Clock.systemUTC(),
                () -> { }, budget);
        return new ChangeConsumer(consumer, new ChangeApplier(MAPPING, new GeofaWriter(nowhere, vk.dataSource()), vk.dataSource(),
                replies -> { }), new DeadLetters(vk.dataSource()), new Replays(vk.dataSource(), group, topic));
    }
}
