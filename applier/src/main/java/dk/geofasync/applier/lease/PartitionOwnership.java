package dk.geofasync.applier.lease;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes topic's partitions this instance applies when instances share a consumer group: a
 * partition Kafka assigns stays paused until its {@link PartitionLeases lease} is free (the previous
 * owner may still be finishing a batch, or may not know yet that Kafka dropped it), and a partition
 * Kafka takes away is let go between batches: Kafka calls back inside {@code poll}, on the applier's
 * thread, and inside the consumer's {@code close}, which the pipeline calls only after the applier's
 * thread has ended (or after closing the leases, so that a thread still running is fenced off).
 */
public final class PartitionOwnership implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionOwnership.class);

    private final PartitionLeases leases;
    private final Consumer<?, ?> consumer;
    /** Assigned by Kafka, lease not yet held: paused. */
    private final Set<TopicPartition> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Assigned and leased: applied here. */
    private final Set<TopicPartition> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile List<Integer> ownedNow = List.of();
    private volatile List<Integer> waitingNow = List.of();

    /** Subscribes {@code consumer} (with a cooperative assignor) to {@code topic}, its partitions applied as their leases allow. */
    public PartitionOwnership(PartitionLeases leases, Consumer<?, ?> consumer, String topic) {
        this.leases = leases;
        this.consumer = consumer;
        consumer.subscribe(List.of(topic), this);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        consumer.pause(partitions);
        waiting.addAll(partitions);
        LOG.info("Kafka assigned partition(s) {} to this instance; applied once their leases are free", numbers(partitions));
        publish();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        letGo(partitions, "revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        letGo(partitions, "lost (this instance was dropped from the group)");
    }

    private void letGo(Collection<TopicPartition> partitions, String why) {
        if (partitions.isEmpty()) {
            return;
        }
        for (TopicPartition p : partitions) {
            waiting.remove(p);
            owned.remove(p);
            leases.release(p.partition()); // between batches: nothing of it is being applied (a lease not held: nothing to do)
        }
        LOG.info("partition(s) {} {}; their leases are free for the instance Kafka gives them to", numbers(partitions), why);
        publish();
    }

    /** Before each poll: takes the leases that are free now and resumes those partitions. */
    public void settle() {
        if (waiting.isEmpty()) {
            return;
        }
        List<TopicPartition> taken = new java.util.ArrayList<>();
        try {
            for (TopicPartition p : List.copyOf(waiting)) {
                if (leases.tryTake(p.partition())) {
                    waiting.remove(p);
                    owned.add(p);
                    taken.add(p);
                }
            }
        } finally {
            if (!taken.isEmpty()) {
                consumer.resume(taken);
                LOG.info("applying partition(s) {} (leases taken)", numbers(taken));
                publish();
            }
        }
    }

    /** Whether this instance may apply {@code partition}'s events now. */
    public boolean owns(TopicPartition partition) {
        return owned.contains(partition);
    }

    /** The partitions applied here, for status and health. */
    public List<Integer> partitions() {
        return ownedNow;
    }

    /** The partitions assigned here that wait for another instance to let go of their leases. */
    public List<Integer> waitingFor() {
        return waitingNow;
    }

    private void publish() {
        ownedNow = numbers(owned);
        waitingNow = numbers(waiting);
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }
}
