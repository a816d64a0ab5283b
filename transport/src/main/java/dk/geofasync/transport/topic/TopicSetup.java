package dk.geofasync.transport.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates geofa-sync's topics when absent, and says how an existing one differs from the settings.
 * An existing topic is left as it is: its partition count is never raised, because that would move
 * keys to other partitions and break per-object order; replicas and configs are the operator's to
 * change with Kafka's own tools.
 */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private final Admin admin;

    public TopicSetup(Admin admin) {
        this.admin = admin;
    }

    /**
     * @return true when the topic was created, false when it existed (each difference from {@code spec} is logged as a warning)
     * @throws IllegalStateException when Kafka has fewer brokers than the replicas asked for, or refuses the topic
     */
    public boolean ensure(TopicSpec spec) {
        NewTopic topic = new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(Map.of(
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retention().toMillis()),
                TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanupPolicy(),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(spec.minInsyncReplicas())));
        try {
            if (exists(spec.name())) {
                // not created again: a user without the right to create topics (the operator made them) must still start
                compare(spec);
                return false;
            }
            int brokers = get(admin.describeCluster().nodes(), "count Kafka's brokers").size();
            if (brokers < spec.replicationFactor()) {
                throw new IllegalStateException("cannot create topic " + spec.name() + " with " + spec.replicationFactor()
                        + " replicas: Kafka has " + brokers + " broker" + (brokers == 1 ? "" : "s") + ". Give --kafka-replication-factor "
                        + brokers + (brokers == 1 ? " (and --kafka-min-insync-replicas 1) for a single-broker trial, where a lost disk loses events" : "")
                        + ", or add brokers");
            }
            admin.createTopics(List.of(topic)).all().get();
            LOG.info("created topic {} ({} partitions, {} replicas, min.insync.replicas {}, retention {})", spec.name(), spec.partitions(),
                    spec.replicationFactor(), spec.minInsyncReplicas(), spec.retention());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                compare(spec); // made by another process a moment ago
                return false;
            }
            throw new IllegalStateException("cannot create topic " + spec.name() + ": " + reason(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + spec.name(), e);
        }
    }

    /** Logs each way the existing topic differs; a topic this user may not describe is only warned about (it can still be used). */
    private void compare(TopicSpec spec) {
        try {
            differences(spec).forEach(d -> LOG.warn("topic {}: {}", spec.name(), d));
        } catch (IllegalStateException e) {
            LOG.warn("topic {}: not compared with the settings: {}", spec.name(), e.getMessage());
        }
    }

    /** How the existing topic differs from {@code spec}, one sentence each; empty when it is as configured. */
    public List<String> differences(TopicSpec spec) {
        TopicDescription existing = get(admin.describeTopics(Set.of(spec.name())).allTopicNames(), "describe topic " + spec.name()).get(spec.name());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config config = get(admin.describeConfigs(Set.of(resource)).all(), "read the configs of topic " + spec.name()).get(resource);
        List<String> differences = new ArrayList<>();
        if (existing.partitions().size() != spec.partitions()) {
            differences.add("has " + existing.partitions().size() + " partitions, the settings say " + spec.partitions()
                    + "; left as it is (changing it would break per-object order)");
        }
        int replicas = existing.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        if (replicas != spec.replicationFactor()) {
            differences.add("has " + replicas + " replicas, the settings say " + spec.replicationFactor()
                    + " (kafka-reassign-partitions.sh changes it)");
        }
        differ(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(spec.minInsyncReplicas())).ifPresent(differences::add);
        differ(config, TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retention().toMillis())).ifPresent(differences::add);
        differ(config, TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanupPolicy()).ifPresent(differences::add);
        return differences;
    }

    private static Optional<String> differ(Config config, String name, String wanted) {
        ConfigEntry entry = config.get(name);
        String actual = entry == null ? "(not set)" : entry.value();
        return wanted.equals(actual) ? Optional.empty()
                : Optional.of(name + " is " + actual + ", the settings say " + wanted + " (kafka-configs.sh --alter changes it)");
    }

    private boolean exists(String name) {
        return get(admin.listTopics().names(), "list Kafka's topics").contains(name);
    }

    /** Kafka's reason, with what to check where Kafka's own words do not say it. */
    static String reason(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return message + " (is Kafka reachable at that address, and does it need TLS or SASL settings in --kafka-properties?)";
        }
        if (cause instanceof org.apache.kafka.common.errors.SslAuthenticationException) {
            return "Kafka refused the TLS handshake: " + message + " (check the client certificate, ssl.keystore.*, and the CA, "
                    + "ssl.truststore.*, in --kafka-properties)";
        }
        if (cause instanceof org.apache.kafka.common.errors.AuthenticationException) {
            return "Kafka refused the login: " + message + " (check the user and password in --kafka-properties)";
        }
        if (cause instanceof org.apache.kafka.common.errors.AuthorizationException) {
            return "Kafka does not allow it: " + message + " (the user needs ACLs to create and describe geofa-sync's topics)";
        }
        return message;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + reason(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}
