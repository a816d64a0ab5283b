package dk.geofasync.transport;

import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Outbox rows written by hand and the topic read back, for the transport tests. */
public final class TransportWorld {

    private final PostgisDatabase db;
    private final SharedKafka kafka;

    public TransportWorld(PostgisDatabase db, SharedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    public void migrate() {
        SyncSchema.migrate(db.dataSource());
    }

    /** Writes an outbox row as the capture trigger would (in its own transaction); returns its id. */
    public long capture(String table, String key, String op, Map<String, String> newValues) throws SQLException {
        try (Connection c = db.connect()) {
            return capture(c, table, key, op, newValues);
        }
    }

    /** Writes an outbox row on {@code c}, in whatever transaction it has open. */
    public long capture(Connection c, String table, String key, String op, Map<String, String> newValues) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into sync.outbox (source_table, row_key, op, new_values) "
                + "values (?, ?, ?, hstore(?::text[], ?::text[])) returning id")) {
            ps.setString(1, table);
            ps.setString(2, key);
            ps.setString(3, op);
            ps.setArray(4, c.createArrayOf("text", newValues.keySet().toArray()));
            ps.setArray(5, c.createArrayOf("text", newValues.values().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    public String newTopic(int partitions) throws Exception {
        String topic = SharedKafka.unique("changes");
        try (Admin admin = admin()) {
            admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        return topic;
    }

    /** Reads the whole topic from the beginning until {@code expected} records came or the deadline passed. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected, Duration deadline) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant end = Instant.now().plus(deadline);
            while (records.size() < expected && Instant.now().isBefore(end)) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    public KafkaConsumer<String, byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public long count(String sql) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
