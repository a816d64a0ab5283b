package dk.geofasync.app.cli;

import dk.geofasync.app.pipeline.LocalPipeline;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Option;

/** Where Kafka is. */
public final class KafkaOptions {

    @Option(names = {"--kafka", "--kafka-bootstrap"}, defaultValue = "${env:GEOFA_SYNC_KAFKA_BOOTSTRAP}", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (env GEOFA_SYNC_KAFKA_BOOTSTRAP)")
    String bootstrapServers;

    @Option(names = "--kafka-prefix", defaultValue = "${env:GEOFA_SYNC_KAFKA_PREFIX:-geofa-sync}", paramLabel = "PREFIX",
            description = "names the topics PREFIX.changes, PREFIX.replies and PREFIX.dead-letters and the consumer group PREFIX-applier "
                    + "(default ${DEFAULT-VALUE}; env GEOFA_SYNC_KAFKA_PREFIX); one per VK database on a shared Kafka")
    String prefix;

    private static final java.util.regex.Pattern PREFIX = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /** The pipeline's topics and group on this Kafka. */
    public LocalPipeline.Settings pipeline(javax.sql.DataSource vk, dk.geofasync.core.mapping.Mapping mapping,
                                           dk.geofasync.applier.geofa.GeofaSettings geofa) {
        return new LocalPipeline.Settings(vk, mapping, bootstrapServers(), geofa, changesTopic(), validPrefix() + ".replies",
                validPrefix() + ".dead-letters", applierGroup(), (short) 1);
    }

    public String bootstrapServers() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka is not set: give --kafka or set GEOFA_SYNC_KAFKA_BOOTSTRAP");
        }
        return bootstrapServers;
    }

    /** The bootstrap servers when given (status reports without Kafka too). */
    public java.util.Optional<String> bootstrapIfGiven() {
        return bootstrapServers == null || bootstrapServers.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(bootstrapServers);
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

    /** An admin client that gives up after {@code timeoutMs} (status should not hang on an unreachable Kafka). */
    public Admin admin(int timeoutMs) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs));
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }
}
