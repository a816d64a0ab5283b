package dk.geofasync.transport.topic;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates geofa-sync's topics when absent. An existing topic is left as it is: its partition count
 * is never raised, because that would move keys to other partitions and break per-object order.
 */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private final Admin admin;

    public TopicSetup(Admin admin) {
        this.admin = admin;
    }

    /** @return true when the topic was created, false when it existed */
    public boolean ensure(TopicSpec spec) {
        NewTopic topic = new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(Map.of(
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retention().toMillis()),
                TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanupPolicy()));
        try {
            admin.createTopics(List.of(topic)).all().get();
            LOG.info("created topic {} ({} partitions, retention {})", spec.name(), spec.partitions(), spec.retention());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                warnOnDifference(spec);
                return false;
            }
            throw new IllegalStateException("cannot create topic " + spec.name() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + spec.name(), e);
        }
    }

    private void warnOnDifference(TopicSpec spec) {
        TopicDescription existing;
        try {
            existing = admin.describeTopics(Set.of(spec.name())).allTopicNames().get().get(spec.name());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topic " + spec.name() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + spec.name(), e);
        }
        if (existing.partitions().size() != spec.partitions()) {
            LOG.warn("topic {} has {} partitions, the configuration says {}; left as it is (changing it would break per-object order)",
                    spec.name(), existing.partitions().size(), spec.partitions());
        }
    }
}
