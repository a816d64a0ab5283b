package dk.geofasync.applier.deadletter;

import dk.geofasync.core.event.DeadLetterEventJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes dead letters to the topic {@code geofa-sync.dead-letters}, keyed by object: each letter
 * when it is filed and again when its state changes. Letters are filed in VK first (with the
 * transaction that ends their event) and published from there, so a crash or a Kafka outage only
 * delays them; a letter may be published twice, never not at all.
 */
public final class DeadLetterPublisher {

    public static final String DEFAULT_TOPIC = "geofa-sync.dead-letters";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);
    private static final int BATCH = 500;

    private final DeadLetters letters;
    private final Producer<String, byte[]> producer;
    private final String topic;

    public DeadLetterPublisher(DeadLetters letters, Producer<String, byte[]> producer, String topic) {
        this.letters = letters;
        this.producer = producer;
        this.topic = topic;
    }

    /** Publishes every letter whose present state is not on the topic yet; returns how many went. */
    public int publishPending() {
        int total = 0;
        List<DeadLetters.Pending> pending;
        do {
            pending = letters.unpublished(BATCH);
            if (pending.isEmpty()) {
                break; // the producer is shared with the relay: no flush for nothing
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(pending.size());
            for (DeadLetters.Pending p : pending) {
                acks.add(producer.send(new ProducerRecord<>(topic, p.letter().objectKey(), DeadLetterEventJson.write(p.letter()))));
            }
            producer.flush();
            for (int i = 0; i < acks.size(); i++) {
                try {
                    acks.get(i).get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("Kafka refused dead letter #" + pending.get(i).letter().letterId() + " for topic " + topic
                            + ": " + e.getCause().getMessage() + " (it stays unpublished and goes with the next round)", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while publishing dead letters", e);
                }
            }
            letters.published(pending);
            total += pending.size();
        } while (pending.size() == BATCH);
        if (total > 0) {
            LOG.info("published {} dead letter(s) to {}", total, topic);
        }
        return total;
    }
}
