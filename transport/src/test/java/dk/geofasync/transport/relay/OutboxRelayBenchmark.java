package dk.geofasync.transport.relay;

import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.core.event.ChangeEventJson;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import dk.geofasync.transport.TransportWorld;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's speed on this machine: draining 1,000,000 outbox rows with full after-images (about
 * 1 KB each, from the sample facility table) to the in-process broker (target: 20,000 events/s),
 * and commit-to-Kafka latency at a steady 500 changes/s (target: p99 <= 250 ms).
 * Run with {@code ./mvnw -B -ntp verify -Pbench -pl transport -am}.
 */
@Tag("bench")
class OutboxRelayBenchmark {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    @Test
    void drainAndLatency() throws Exception {
        Mapping all = SampleVk.vejleMapping();
        Mapping points = new Mapping(all.source(), List.of(all.table("vk.facilitet_punkt").orElseThrow()));
        new SampleVk(db.dataSource(), points).reset(100_000, 630);
        SyncSchema.migrate(db.dataSource());
        TransportWorld world = new TransportWorld(db, kafka);
        String cols = "array[" + String.join(", ", points.tables().get(0).syncedVkColumns().stream().map(c -> "'" + c + "'").toList())
                + "]::text[]";

        long filled = System.nanoTime();
        db.execute("insert into sync.outbox (source_table, row_key, op, new_values) "
                + "select 'vk.facilitet_punkt', t.id::text, 'U', slice(hstore(t), " + cols + ") "
                + "from vk.facilitet_punkt t, generate_series(1, 10) g order by g, t.id");
        System.out.printf(Locale.ROOT, "BENCH relay: outbox filled with %,d rows (avg %d bytes of values) in %.1f s%n",
                world.count("select count(*) from sync.outbox"),
                world.count("select avg(pg_column_size(new_values))::bigint from sync.outbox"), (System.nanoTime() - filled) / 1e9);

        String topic = world.newTopic(6);
        RelayConfig config = RelayConfig.forMapping(points).withTopic(topic).withBatchSize(5_000);
        try (Producer<String, byte[]> producer = KafkaConnection.plain(kafka.bootstrapServers()).producer("geofa-sync-relay", Map.of());
             OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, config)) {
            long started = System.nanoTime();
            long published = relay.drain();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "BENCH relay drain: %,d events in %.1f s = %,.0f events/s (target >= 20,000)%n",
                    published, seconds, published / seconds);
        }

        // steady state: housekeeping and autovacuum keep the outbox small; 1M dead rows would measure vacuum, not the relay
        db.execute("truncate sync.outbox");
        db.execute("vacuum analyze sync.outbox");
        latencyAt500PerSecond(world, config.withTopic(world.newTopic(6)));
    }

    private static void latencyAt500PerSecond(TransportWorld world, RelayConfig config) throws Exception {
        int rate = 500;
        int seconds = 20;
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        List<Long> latencies = new ArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        try (Producer<String, byte[]> producer = KafkaConnection.plain(kafka.bootstrapServers()).producer("geofa-sync-relay", Map.of());
             OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, config);
             KafkaConsumer<String, byte[]> consumer = world.consumer(null)) {
            relay.drain(); // takes the lease, outbox empty
            relay.start();
            List<TopicPartition> partitions = consumer.partitionsFor(config.topic()).stream()
                    .map(p -> new TopicPartition(config.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Thread writer = new Thread(() -> write(rate, seconds, committedAt, writing), "bench-writer");
            writer.start();
            long end = System.nanoTime() + Duration.ofSeconds(seconds + 10).toNanos();
            while ((writing.get() || latencies.size() < committedAt.size()) && System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    Long at = committedAt.get(ChangeEventJson.read(r.value()).rowKey());
                    if (at != null) {
                        latencies.add(now - at);
                    }
                }
            }
            writer.join();
        }
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "BENCH relay latency at %d changes/s for %d s: %,d events, commit-to-consumer p50 %.0f ms, "
                        + "p99 %.0f ms, max %.0f ms (target p99 <= 250 ms)%n", rate, seconds, sorted.size(),
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }

    /** Commits one captured change every 1/rate seconds, as the triggers do by default (no NOTIFY); notes each commit's time. */
    private static void write(int rate, int seconds, Map<String, Long> committedAt, AtomicBoolean writing) {
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        try (Connection c = db.connect();
             PreparedStatement insert = c.prepareStatement("insert into sync.outbox (source_table, row_key, op, new_values) "
                     + "values ('vk.facilitet_punkt', ?, 'U', hstore('navn', ?))")) {
            c.setAutoCommit(false);
            for (int i = 0; i < rate * seconds; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                next += interval;
                String key = "bench-" + i;
                insert.setString(1, key);
                insert.setString(2, "v" + i);
                insert.executeUpdate(); // no NOTIFY: the default, where the relay looks every 100 ms
                committedAt.put(key, System.nanoTime()); // just before the commit: latency counts the commit too
                c.commit();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            writing.set(false);
        }
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
