package dk.geofasync.transport.relay;

import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.event.ChangeEventJson;
import dk.geofasync.core.retry.Backoff;
import dk.geofasync.db.SyncSchema;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox rows to Kafka, each once in normal operation and at least once across
 * a crash: a batch is marked published (and {@code sync.relay_progress} moved) only after Kafka
 * acknowledged every event of it; a crash in between publishes those events again, and the
 * applier's inbox drops the repeats.
 *
 * <p>Only the holder of the relay's lease publishes: a PostgreSQL advisory lock held by the relay's
 * connection, so a second relay of the same name waits on standby, and a relay that dies frees
 * the lease the moment its connection closes. The relay LISTENs for the capture triggers' NOTIFY
 * and looks anyway after {@link RelayConfig#pollInterval()}, in case a notification was missed.
 * Before each batch it runs capture's pump ({@link KeyPump}), which turns the keys the triggers
 * captured into outbox rows; so the pump, too, runs only under the lease.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    /** Called after Kafka acknowledged a batch and before it is marked published; tests use it to crash there. */
    interface BatchAcknowledged {
        void acknowledged(List<ChangeEvent> batch) throws SQLException;
    }

    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final RelayConfig config;
    private final RelayStats stats = new RelayStats();
    private final String holder = ManagementFactory.getRuntimeMXBean().getName();
    private final AtomicBoolean running = new AtomicBoolean();
    private BatchAcknowledged onAcknowledged = batch -> { };
    private volatile Optional<String> problem = Optional.empty();
    private volatile String pumpProblem = "";
    private Connection connection;
    private OutboxReader reader;
    private String sourceId;
    private Thread thread;

    public OutboxRelay(DataSource dataSource, Producer<String, byte[]> producer, RelayConfig config) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.config = config;
    }

    void onAcknowledged(BatchAcknowledged hook) {
        this.onAcknowledged = hook;
    }

    public RelayStats stats() {
        return stats;
    }

    /**
     * Publishes everything committed and unpublished, then returns how many events it published
     * (cron mode and tests). Returns 0 without publishing when another relay holds the lease.
     */
    public long drain() throws SQLException {
        return drain(Integer.MAX_VALUE);
    }

    /** {@link #drain()}, but at most {@code maxBatches} batches: a caller that must stop soon can. */
    public long drain(int maxBatches) throws SQLException {
        if (!holdsLease()) {
            return 0;
        }
        long published = 0;
        long pumped = pump();
        boolean more;
        int batches = 0;
        do {
            // a pump that took a whole batch's worth may have left keys committed before this drain began
            boolean keysLeft = pumped >= config.batchSize();
            Published batch = publishBatch();
            published += batch.rows();
            // a batch pumps the next keys while Kafka acknowledges it; with no batch, the pump goes on only if keys were left
            pumped = batch.rows() > 0 ? batch.pumped() : keysLeft ? pump() : 0;
            // ends when neither the outbox nor the pump filled a batch: a steady trickle of new keys cannot hold it
            more = batch.rows() == config.batchSize() || keysLeft || pumped >= config.batchSize();
        } while (more && ++batches < maxBatches);
        return published;
    }

    /** Runs in a thread of its own until {@link #close()}: drains, then waits for a NOTIFY or the poll interval. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("relay " + config.relayName() + " is already running");
        }
        running.set(true);
        thread = new Thread(this::loop, "outbox-relay-" + config.relayName());
        thread.setDaemon(true);
        thread.start();
    }

    /** What keeps the relay from publishing right now (the same failure round after round), for the status page. */
    public Optional<String> problem() {
        return problem.or(() -> pumpProblem.isEmpty() ? Optional.empty() : Optional.of(pumpProblem));
    }

    private void loop() {
        Duration backoff = Backoff.STAGE.first();
        String failing = null;
        while (running.get()) {
            try {
                long published = drain();
                backoff = Backoff.STAGE.first();
                if (failing != null) {
                    LOG.info("relay {}: publishing again after: {}", config.relayName(), failing);
                    failing = null;
                    problem = Optional.empty();
                }
                if (published == 0 || !running.get()) {
                    awaitWork();
                }
            } catch (SQLException | RuntimeException e) {
                stats.failed();
                // logged once with its cause; while it lasts, the status page says it
                if (!String.valueOf(e.getMessage()).equals(failing)) {
                    failing = String.valueOf(e.getMessage());
                    LOG.error("relay {}: {} (the outbox rows wait and are tried again, with back-off up to 30 s)", config.relayName(), failing, e);
                    problem = Optional.of("relay stopped since " + java.time.OffsetDateTime.now().withNano(0) + ": " + failing);
                } else {
                    LOG.debug("relay {}: still {} (retrying in {} ms)", config.relayName(), failing, backoff.toMillis());
                }
                closeConnection();
                sleep(backoff);
                backoff = Backoff.STAGE.after(backoff);
            }
        }
    }

    private boolean holdsLease() throws SQLException {
        if (connection != null && !connection.isClosed()) {
            return true;
        }
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_lock(hashtext('geofa-sync relay ' || ?))")) {
                lock.setString(1, config.relayName());
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.close();
                        stats.standby();
                        return false;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("listen " + SyncSchema.OUTBOX_CHANNEL);
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into sync.relay_progress (relay_name, holder, lease_until, updated_at) values (?, ?, null, now())
                    on conflict (relay_name) do update set holder = excluded.holder, updated_at = now()""")) {
                ps.setString(1, config.relayName());
                ps.setString(2, holder);
                ps.executeUpdate();
            }
            sourceId = sourceId(c);
            reader = new OutboxReader(sourceId, config);
            connection = c;
            LOG.info("relay {} holds the lease ({}) and publishes to {}", config.relayName(), holder, config.topic());
            return true;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Moves captured keys into the outbox first, so the batch sees them. A table whose keys cannot
     * be moved is reported (once while it lasts) and waits; the outbox and the other tables go on.
     */
    private long pump() throws SQLException {
        KeyPump.Pumped pumped = KeyPump.take(connection, config.batchSize());
        String now = String.join("; ", pumped.problems());
        if (!now.equals(pumpProblem)) {
            if (now.isEmpty()) {
                LOG.info("relay {}: captured keys move again", config.relayName());
            } else {
                LOG.error("relay {}: {}", config.relayName(), now);
            }
            pumpProblem = now;
        }
        return pumped.keys();
    }

    /**
     * Publishes the next batch; returns how many outbox rows it handled (the events Kafka acknowledged
     * and the rows that went to dead letters because no event could be made of them or Kafka would
     * never take it: too large), and how many captured keys it pumped meanwhile. One such row never
     * holds back the batch or any other table.
     */
    private Published publishBatch() throws SQLException {
        OutboxReader.Batch batch = reader.next(connection);
        if (batch.rows() == 0) {
            return new Published(0, 0);
        }
        List<OutboxReader.Refused> refused = new ArrayList<>(batch.refused());
        List<ChangeEvent> sent = new ArrayList<>(batch.events().size());
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.events().size());
        for (ChangeEvent e : batch.events()) {
            byte[] event = ChangeEventJson.write(e);
            if (event.length > config.maxEventBytes()) {
                refused.add(tooLarge(e, event.length));
                continue;
            }
            sent.add(e);
            acks.add(producer.send(new ProducerRecord<>(config.topic(), e.objectKey(), event)));
        }
        // the keys captured meanwhile go into the outbox while Kafka acknowledges (over a network, a round trip
        // of milliseconds per batch); the pump's outbox rows are the next batch's
        long pumped = pump();
        producer.flush();
        List<ChangeEvent> acknowledged = new ArrayList<>(sent.size());
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
                acknowledged.add(sent.get(i));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException) {
                    refused.add(tooLarge(sent.get(i), ChangeEventJson.write(sent.get(i)).length)); // the broker's or topic's limit is lower than ours
                    continue;
                }
                throw new IllegalStateException("Kafka refused event " + sent.get(i).eventId() + " of " + sent.get(i).objectKey()
                        + ": " + e.getCause().getMessage() + "; the batch stays unpublished and is sent again", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka", e);
            }
        }
        onAcknowledged.acknowledged(acknowledged);
        markPublished(acknowledged, refused);
        stats.published(acknowledged.size());
        refused.forEach(r -> LOG.error("relay {}: {} {} (outbox #{}) went to dead letters{}: {}", config.relayName(), r.sourceTable(), r.rowKey(),
                r.outboxId(), r.column().map(c -> ", column " + c).orElse(""), r.reason()));
        return new Published(batch.rows(), pumped);
    }

    /** A batch: the outbox rows it handled, and the captured keys pumped while Kafka acknowledged it. */
    private record Published(int rows, long pumped) {
    }

    /** An event Kafka would refuse for its size, named by its largest value, so staff know which text to shorten. */
    private OutboxReader.Refused tooLarge(ChangeEvent e, int bytes) {
        Optional<Map.Entry<String, String>> largest = e.newValues().asMap().entrySet().stream().filter(v -> v.getValue() != null)
                .max(Comparator.comparingInt(v -> v.getValue().length()));
        return new OutboxReader.Refused(e.outboxId(), e.txid(), e.sourceTable(), e.rowKey(), e.op(), largest.map(Map.Entry::getKey),
                "the change is " + bytes + " bytes as an event; Kafka takes at most " + config.maxEventBytes()
                        + largest.map(v -> " (largest value: " + v.getKey() + ", " + v.getValue().length() + " characters)").orElse(""));
    }

    /** Marks the acknowledged events published and files the refused rows as dead letters, in one transaction. */
    private void markPublished(List<ChangeEvent> batch, List<OutboxReader.Refused> refused) throws SQLException {
        List<Long> ids = Stream.concat(batch.stream().map(ChangeEvent::outboxId), refused.stream().map(OutboxReader.Refused::outboxId)).toList();
        long last = ids.stream().mapToLong(Long::longValue).max().orElseThrow();
        String lastTxid = Stream.concat(batch.stream().filter(e -> e.outboxId() == last).map(ChangeEvent::txid),
                refused.stream().filter(r -> r.outboxId() == last).map(OutboxReader.Refused::txid)).findFirst().orElseThrow();
        connection.setAutoCommit(false);
        try (PreparedStatement mark = connection.prepareStatement("update sync.outbox set published_at = now() where id = any(?)");
             PreparedStatement progress = connection.prepareStatement("""
                     update sync.relay_progress
                        set last_outbox_id = greatest(last_outbox_id, ?), last_txid = ?::xid8,
                            events_published = events_published + ?, updated_at = now()
                      where relay_name = ?""")) {
            mark.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            mark.executeUpdate();
            progress.setLong(1, last);
            progress.setString(2, lastTxid);
            progress.setLong(3, batch.size());
            progress.setString(4, config.relayName());
            progress.executeUpdate();
            RelayDeadLetters.file(connection, sourceId, refused);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback(); // never rows marked published without their letters (setAutoCommit below would commit)
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void awaitWork() throws SQLException {
        if (connection == null) {
            sleep(config.pollInterval()); // on standby: try for the lease again after a while
            return;
        }
        connection.unwrap(PGConnection.class).getNotifications((int) config.pollInterval().toMillis());
    }

    private static String sourceId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id::text from sync.source")) {
            if (!rs.next()) {
                throw new IllegalStateException("sync.source is empty: run geofa-sync migrate");
            }
            return rs.getString(1);
        }
    }

    /** How long the oldest unpublished change (outbox row or captured key) has waited; zero when none waits. */
    public Duration lag() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select coalesce(extract(epoch from now() - min(oldest_captured_at)), 0) from sync.outbox_pending")) {
            rs.next();
            return Duration.ofMillis((long) (rs.getDouble(1) * 1000));
        }
    }

    /** Ends the relay's wait for a notification at once (all relays listening wake up and look; harmless). */
    private void wakeUp() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("notify " + SyncSchema.OUTBOX_CHANNEL);
        } catch (SQLException e) {
            LOG.debug("relay {}: could not wake itself for closing: {}", config.relayName(), e.getMessage());
        }
    }

    private void closeConnection() {
        if (connection != null) {
            // the lease is the session's lock, and a pooled connection's session outlives close(): let go of it first,
            // or end the session, so that no pooled connection keeps the lease from the next relay
            try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(hashtext('geofa-sync relay ' || ?))");
                 java.sql.Statement unlisten = connection.createStatement()) {
                unlock.setString(1, config.relayName());
                unlock.execute();
                unlisten.execute("unlisten *");
            } catch (SQLException e) {
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException | RuntimeException gone) {
                    // already gone, and the lease with it
                }
            }
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("relay {}: closing its connection: {}", config.relayName(), e.getMessage());
            }
            connection = null;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the loop and frees the lease; the producer belongs to the caller. */
    @Override
    public void close() {
        running.set(false);
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t != null) {
            wakeUp();
            try {
                t.join(Math.max(5_000, config.pollInterval().toMillis() * 3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeConnection();
    }
}
