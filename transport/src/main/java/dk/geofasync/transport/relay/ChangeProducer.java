package dk.geofasync.transport.relay;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka producer of change events: idempotent, acks from all replicas, batched and compressed. */
public final class ChangeProducer {

    private ChangeProducer() {
    }

    /** @param overrides further producer settings (they win over these defaults) */
    public static Producer<String, byte[]> create(String bootstrapServers, Map<String, Object> overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "geofa-sync-relay");
        // idempotence keeps per-partition order through retries (with up to 5 requests in flight)
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putAll(overrides);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
