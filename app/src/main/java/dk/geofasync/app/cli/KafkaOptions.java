package dk.geofasync.app.cli;

import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.transport.kafka.KafkaClientProperties;
import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.transport.topic.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Option;

/** Where Kafka is, how to reach it (TLS, SASL) and how geofa-sync's topics are made there. */
public final class KafkaOptions {

    @Option(names = {"--kafka", "--kafka-bootstrap"}, defaultValue = "${env:GEOFA_SYNC_KAFKA_BOOTSTRAP}", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (env GEOFA_SYNC_KAFKA_BOOTSTRAP)")
    String bootstrapServers;

    @Option(names = "--kafka-properties", defaultValue = "${env:GEOFA_SYNC_KAFKA_PROPERTIES}", paramLabel = "FILE",
            description = "Kafka client properties for every producer, consumer and admin client: security.protocol, sasl.mechanism, "
                    + "sasl.jaas.config, ssl.* (env GEOFA_SYNC_KAFKA_PROPERTIES); secrets through config providers (${env:…}), never in clear")
    Path propertiesFile;

    @Option(names = "--kafka-replication-factor", defaultValue = "${env:GEOFA_SYNC_KAFKA_REPLICATION_FACTOR:-3}", paramLabel = "N",
            description = "replicas of each topic geofa-sync creates (default ${DEFAULT-VALUE}; 1 only for a single-broker trial; "
                    + "env GEOFA_SYNC_KAFKA_REPLICATION_FACTOR)")
    short replicationFactor;

    @Option(names = "--kafka-min-insync-replicas", defaultValue = "${env:GEOFA_SYNC_KAFKA_MIN_INSYNC_REPLICAS}", paramLabel = "N",
            description = "min.insync.replicas of the topics: an acknowledged event is on at least N brokers "
                    + "(default 2, or 1 with one replica; env GEOFA_SYNC_KAFKA_MIN_INSYNC_REPLICAS)")
    Integer minInsyncReplicas;

    @Option(names = "--kafka-retention-days", defaultValue = "${env:GEOFA_SYNC_KAFKA_RETENTION_DAYS:-7}", paramLabel = "DAYS",
            description = "how long the changes topic keeps events (default ${DEFAULT-VALUE}; env GEOFA_SYNC_KAFKA_RETENTION_DAYS)")
    int retentionDays;

    @Option(names = "--kafka-prefix", defaultValue = "${env:GEOFA_SYNC_KAFKA_PREFIX:-geofa-sync}", paramLabel = "PREFIX",
            description = "names the topics PREFIX.changes, PREFIX.replies and PREFIX.dead-letters and the consumer group PREFIX-applier "
                    + "(default ${DEFAULT-VALUE}; env GEOFA_SYNC_KAFKA_PREFIX); one per VK database on a shared Kafka")
    String prefix;

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /** The pipeline's topics and group on this Kafka. */
    public LocalPipeline.Settings pipeline(javax.sql.DataSource vk, dk.geofasync.core.mapping.Mapping mapping,
                                           dk.geofasync.applier.geofa.GeofaSettings geofa) {
        return new LocalPipeline.Settings(vk, mapping, connection(), geofa, changesTopic(), validPrefix() + ".replies",
                validPrefix() + ".dead-letters", applierGroup(), topics());
    }

    /** Reads and checks the Kafka settings given, so a wrong one stops a command before it connects anywhere. */
    public void check() {
        if (propertiesFile != null && !propertiesFile.toString().isBlank()) {
            KafkaClientProperties.load(propertiesFile);
        }
        topics();
        validPrefix();
    }

    /** The bootstrap servers and the client properties file, read and checked. */
    public KafkaConnection connection() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka is not set: give --kafka or set GEOFA_SYNC_KAFKA_BOOTSTRAP");
        }
        return new KafkaConnection(bootstrapServers, propertiesFile == null || propertiesFile.toString().isBlank()
                ? Map.of() : KafkaClientProperties.load(propertiesFile));
    }

    /** How the topics are made: the replication factor, min.insync.replicas (2, at most the replicas) and the retention. */
    public TopicSettings topics() {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("--kafka-retention-days must be at least 1, got " + retentionDays);
        }
        int minInsync = minInsyncReplicas != null ? minInsyncReplicas : Math.min(2, replicationFactor);
        return new TopicSettings(replicationFactor, minInsync, Duration.ofDays(retentionDays));
    }

    /** Whether Kafka was given (status reports without Kafka too). */
    public boolean given() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    /** The applier's consumer group and the changes topic, as {@link #pipeline} names them. */
    public String applierGroup() {
        return validPrefix() + "-applier";
    }

    public String changesTopic() {
        return validPrefix() + ".changes";
    }

    private String validPrefix() {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("--kafka-prefix must be letters, digits, '.', '_' or '-', got '" + prefix + "'");
        }
        return prefix;
    }

    /** An admin client that gives up after {@code timeout} (status should not hang on an unreachable Kafka). */
    public Admin admin(Duration timeout) {
        return connection().admin(timeout);
    }

    /** When Kafka was given: an admin client that gives up after {@code timeout}. */
    public Optional<Admin> adminIfGiven(Duration timeout) {
        return given() ? Optional.of(admin(timeout)) : Optional.empty();
    }
}
