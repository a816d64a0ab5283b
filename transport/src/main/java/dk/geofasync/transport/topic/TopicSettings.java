package dk.geofasync.transport.topic;

import java.time.Duration;
import java.util.List;

/**
 * How geofa-sync's topics are made on the operator's Kafka: replicas, the replicas that must have
 * an event before Kafka acknowledges it, and how long the changes topic keeps events.
 *
 * @param minInsyncReplicas with the producer's {@code acks=all}: an acknowledged event is on at least
 *        this many brokers; below it, Kafka refuses writes rather than risk losing them
 */
public record TopicSettings(short replicationFactor, int minInsyncReplicas, Duration changesRetention) {

    /** A production cluster: 3 replicas, 2 in sync, changes kept 7 days. */
    public static final TopicSettings PRODUCTION = new TopicSettings((short) 3, 2, Duration.ofDays(7));
    /** One broker (the sandbox, a trial): nothing survives the loss of its disk. */
    public static final TopicSettings SINGLE_BROKER = new TopicSettings((short) 1, 1, Duration.ofDays(7));

    public TopicSettings {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("the replication factor must be at least 1, got " + replicationFactor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor (" + replicationFactor
                    + "), got " + minInsyncReplicas);
        }
        if (changesRetention.toHours() < 1) {
            throw new IllegalArgumentException("the changes topic's retention must be at least an hour, got " + changesRetention);
        }
    }

    /** The pipeline's three topics: changes (6 partitions), replies (3) and dead letters (3, kept 30 days). */
    public List<TopicSpec> specs(String changes, String replies, String deadLetters) {
        return List.of(new TopicSpec(changes, 6, replicationFactor, minInsyncReplicas, changesRetention, "delete"),
                new TopicSpec(replies, 3, replicationFactor, minInsyncReplicas, Duration.ofDays(7), "delete"),
                new TopicSpec(deadLetters, 3, replicationFactor, minInsyncReplicas, Duration.ofDays(30), "delete"));
    }
}
