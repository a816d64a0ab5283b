package dk.geofasync.applier.writeback;

import dk.geofasync.core.event.MalformedEventException;
import dk.geofasync.core.event.Reply;
import dk.geofasync.core.event.ReplyJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads {@code geofa-sync.replies} and writes each objekt_id back to its VK row; commits after each poll. */
public final class ReplyConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyConsumer.class);

    private final Consumer<String, byte[]> consumer;
    private final WriteBack writeBack;

    public ReplyConsumer(Consumer<String, byte[]> consumer, WriteBack writeBack) {
        this.consumer = consumer;
        this.writeBack = writeBack;
    }

    /** @return replies written back in this poll */
    public int pollOnce(Duration timeout) {
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        List<Reply> replies = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                replies.add(ReplyJson.read(r.value()));
            } catch (MalformedEventException e) {
                LOG.error("reply {} at offset {} skipped: {} (the object link in sync.object_link still holds the id)", r.key(), r.offset(), e.getMessage());
            }
        }
        if (!replies.isEmpty()) {
            for (Reply gone : writeBack.applyAll(replies)) {
                LOG.info("{} {} is gone from VK; its objekt_id {} is not written back", gone.sourceTable(), gone.rowKey(), gone.objektId());
            }
        }
        if (!records.isEmpty()) {
            try {
                consumer.commitSync();
            } catch (org.apache.kafka.common.errors.RebalanceInProgressException | org.apache.kafka.clients.consumer.CommitFailedException e) {
                // instances sharing the partitions rebalance now and then; what was written back is written again by
                // whoever reads these replies next, and writing back is idempotent
                LOG.info("write-back offsets not committed during a rebalance of the group ({})", e.getClass().getSimpleName());
            }
        }
        return replies.size();
    }
}
