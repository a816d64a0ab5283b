package dk.geofasync.transport.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Where Kafka is and how to reach it, and the one place geofa-sync's Kafka clients are built: the
 * operator's client properties (TLS, SASL; {@link KafkaClientProperties}) go into every producer,
 * consumer and admin client, and geofa-sync's own settings go on top, so no file can weaken them.
 *
 * @param clientProperties standard Kafka client settings; may reference config providers for secrets
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientProperties) {

    public KafkaConnection {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers are not set");
        }
        clientProperties = Map.copyOf(clientProperties);
        KafkaClientProperties.check("(given)", clientProperties);
    }

    /** A broker reached without TLS or SASL: the sandbox, tests, a trial on one machine. */
    public static KafkaConnection plain(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** Whether the operator gave client properties (TLS, SASL, ...), for messages. */
    public boolean hasClientProperties() {
        return !clientProperties.isEmpty();
    }

    /**
     * The producer of events: idempotent with acks from all in-sync replicas (so per-partition order
     * holds through retries with up to 5 requests in flight), batched and compressed.
     *
     * @param tuning further producer settings of the caller (they win over the defaults, not over the guarantees)
     */
    public Producer<String, byte[]> producer(String clientId, Map<String, Object> tuning) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putAll(tuning);
        p.putAll(base()); // the operator's tuning (compression their Kafka lacks, say) wins over these defaults
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A consumer of the group that commits only what geofa-sync recorded as handled (no automatic
     * commits) and starts from the beginning of a partition it has no offset for.
     */
    public KafkaConsumer<String, byte[]> consumer(String group, Map<String, Object> tuning) {
        Map<String, Object> c = new HashMap<>(tuning);
        c.putAll(base());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** An admin client whose calls give up after {@code timeout}, so a Kafka out of reach is reported, not waited for. */
    public Admin admin(Duration timeout) {
        Map<String, Object> a = new HashMap<>();
        int ms = Math.toIntExact(timeout.toMillis());
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 30_000));
        a.putAll(base());
        return Admin.create(a);
    }

    private Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>(clientProperties);
        m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return m;
    }

    /** The secrets stay out of logs and messages: only the address and whether properties were given. */
    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers + (clientProperties.isEmpty() ? "" : " (with client properties: " + String.join(", ",
                new java.util.TreeSet<>(clientProperties.keySet())) + ")");
    }
}
