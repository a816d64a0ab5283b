package dk.geofasync.app.cli;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Option;

/** Where Kafka is. */
public final class KafkaOptions {

    @Option(names = "--kafka", defaultValue = "${env:GEOFA_SYNC_KAFKA_BOOTSTRAP}", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (env GEOFA_SYNC_KAFKA_BOOTSTRAP)")
    String bootstrapServers;

    public String bootstrapServers() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka is not set: give --kafka or set GEOFA_SYNC_KAFKA_BOOTSTRAP");
        }
        return bootstrapServers;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }
}
