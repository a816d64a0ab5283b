package dk.geofasync.transport.topic;

import java.time.Duration;

/**
 * A topic as geofa-sync wants it.
 *
 * @param minInsyncReplicas the topic's {@code min.insync.replicas}
 * @param cleanupPolicy {@code delete} (events expire after the retention) or {@code compact}
 */
public record TopicSpec(String name, int partitions, short replicationFactor, int minInsyncReplicas, Duration retention, String cleanupPolicy) {

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replication factor must be at least 1, got " + replicationFactor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("topic " + name + ": min.insync.replicas must be between 1 and " + replicationFactor
                    + ", got " + minInsyncReplicas);
        }
        if (!cleanupPolicy.equals("delete") && !cleanupPolicy.equals("compact")) {
            throw new IllegalArgumentException("topic " + name + ": cleanup policy must be delete or compact, got " + cleanupPolicy);
        }
    }
}
