package dk.geofasync.transport.topic;

import java.time.Duration;

/**
 * A topic as geofa-sync wants it.
 *
 * @param cleanupPolicy {@code delete} (events expire after the retention) or {@code compact}
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Duration retention, String cleanupPolicy) {

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replication factor must be at least 1, got " + replicationFactor);
        }
        if (!cleanupPolicy.equals("delete") && !cleanupPolicy.equals("compact")) {
            throw new IllegalArgumentException("topic " + name + ": cleanup policy must be delete or compact, got " + cleanupPolicy);
        }
    }

    /** The changes topic: 6 partitions, kept 7 days, so a replay can go back a week. */
    public static TopicSpec changes(String name, short replicationFactor) {
        return new TopicSpec(name, 6, replicationFactor, Duration.ofDays(7), "delete");
    }
}
