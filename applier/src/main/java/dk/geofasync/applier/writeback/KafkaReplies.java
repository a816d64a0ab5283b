package dk.geofasync.applier.writeback;

import dk.geofasync.core.event.Reply;
import dk.geofasync.core.event.ReplyJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends replies to the topic {@code geofa-sync.replies}, keyed by object, and waits for Kafka's
 * acknowledgement: the change event counts as handled only once its reply is safe.
 */
public final class KafkaReplies implements ReplySink {

    public static final String DEFAULT_TOPIC = "geofa-sync.replies";

    private final Producer<String, byte[]> producer;
    private final String topic;

    public KafkaReplies(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void sendAll(List<Reply> replies) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(replies.size());
        for (Reply reply : replies) {
            acks.add(producer.send(new ProducerRecord<>(topic, reply.sourceTable() + ":" + reply.rowKey(), ReplyJson.write(reply))));
        }
        producer.flush();
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("Kafka refused the reply for " + replies.get(i).sourceTable() + " " + replies.get(i).rowKey()
                        + ": " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending replies", e);
            }
        }
    }
}
