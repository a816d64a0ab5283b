package dk.geofasync.app.pipeline;

import dk.geofasync.applier.apply.Applied;
import dk.geofasync.applier.apply.ChangeApplier;
import dk.geofasync.applier.apply.ChangeConsumer;
import dk.geofasync.applier.apply.GeofaWriter;
import dk.geofasync.applier.apply.Replays;
import dk.geofasync.applier.deadletter.DeadLetterPublisher;
import dk.geofasync.applier.deadletter.DeadLetters;
import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.applier.geofa.SharedRequestWindow;
import dk.geofasync.applier.lease.ApplierLease;
import dk.geofasync.applier.lease.Lease;
import dk.geofasync.applier.lease.PartitionLeases;
import dk.geofasync.applier.lease.PartitionOwnership;
import dk.geofasync.applier.pause.ApplierPause;
import dk.geofasync.applier.run.CurrentRun;
import dk.geofasync.applier.writeback.KafkaReplies;
import dk.geofasync.applier.writeback.ReplyConsumer;
import dk.geofasync.applier.writeback.WriteBack;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.retry.Backoff;
import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.transport.relay.OutboxRelay;
import dk.geofasync.transport.relay.RelayConfig;
import dk.geofasync.transport.topic.TopicSettings;
import dk.geofasync.transport.topic.TopicSetup;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole flow in one process, step by step: relay the outbox to Kafka, apply the change events to
 * GeoFA (and publish what went to dead letters), write the replies' objekt_id back to VK.
 * {@link #syncUntilIdle()} runs the steps until nothing moves (cron mode, the demo, tests);
 * {@link #start()} runs them side by side (the service).
 */
public final class LocalPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

    /** Where the pipeline's parts are. */
    public record Settings(DataSource vk, Mapping mapping, KafkaConnection kafka, GeofaSettings geofa, String changesTopic,
                           String repliesTopic, String deadLettersTopic, String applierGroup, TopicSettings topics) {

        /** The sandbox's pipeline: default names on a single broker reached without TLS or SASL. */
        public static Settings defaults(DataSource vk, Mapping mapping, String kafkaBootstrap, GeofaSettings geofa) {
            return new Settings(vk, mapping, KafkaConnection.plain(kafkaBootstrap), geofa, RelayConfig.DEFAULT_TOPIC, KafkaReplies.DEFAULT_TOPIC,
                    DeadLetterPublisher.DEFAULT_TOPIC, "geofa-sync-applier", TopicSettings.SINGLE_BROKER);
        }
    }

    private final Lease lease;
    /** When instances share the partitions: which ones this one applies. */
    private Optional<PartitionOwnership> shared = Optional.empty();
    private Producer<String, byte[]> producer;
    private OutboxRelay relay;
    private KafkaConsumer<String, byte[]> changes;
    private KafkaConsumer<String, byte[]> replies;
    private ChangeConsumer applier;
    private DeadLetterPublisher deadLetters;
    private ReplyConsumer writeBack;
    private GeofaClient geofaClient;
    private final List<Thread> workers = new ArrayList<>();
    private final Map<Applied, Integer> appliedTotal = new EnumMap<>(Applied.class);
    private final CurrentRun currentRun = new CurrentRun();
    private volatile boolean running;
    private volatile Optional<String> stoppedBecause = Optional.empty();
    /** Per stage, what keeps it from going on (the same failure round after round), for the status page. */
    private final Map<String, String> problems = new java.util.concurrent.ConcurrentHashMap<>();

    /** How long a new pipeline waits for another process applying for the same group to let go. */
    public static final Duration LEASE_WAIT = Duration.ofSeconds(10);

    public LocalPipeline(Settings s) {
        this(s, LEASE_WAIT);
    }

    /** @param leaseWait how long to wait for another process applying for the same consumer group */
    public LocalPipeline(Settings s, Duration leaseWait) {
        this(s, ApplierLease.take(s.vk(), s.applierGroup(), leaseWait));
    }

    /**
     * With the applier's lease already taken: the group's (by a standby that waited for it), or, when
     * instances share the partitions, the instance's {@link PartitionLeases}; closes it with the pipeline.
     */
    public LocalPipeline(Settings s, Lease lease) {
        this.lease = lease;
        try {
            open(s);
        } catch (RuntimeException e) {
            // what was opened before the failure, then the lease
            for (AutoCloseable part : new AutoCloseable[] {replies, changes, relay, producer}) {
                if (part != null) {
                    closeQuietly("a part of the pipeline", part);
                }
            }
            lease.close();
            throw e;
        }
    }

    private void open(Settings s) {
        // a Kafka out of reach stops start-up in 15 s with Kafka's own reason, not after the client's default minute
        try (Admin admin = s.kafka().admin(Duration.ofSeconds(15))) {
            TopicSetup topics = new TopicSetup(admin);
            s.topics().specs(s.changesTopic(), s.repliesTopic(), s.deadLettersTopic()).forEach(topics::ensure);
        }
        this.producer = s.kafka().producer("geofa-sync-relay", Map.of());
        this.relay = new OutboxRelay(s.vk(), producer, RelayConfig.forMapping(s.mapping()).withTopic(s.changesTopic()));
        boolean sharing = lease instanceof PartitionLeases;
        this.changes = consumer(s.kafka(), s.applierGroup(), s.changesTopic(), sharing);
        if (lease instanceof PartitionLeases partitions) {
            this.shared = Optional.of(new PartitionOwnership(partitions, changes, s.changesTopic()));
        } else {
            changes.assign(partitions(changes, s.changesTopic()));
        }
        // write-back is idempotent (it sets what GeoFA answered): sharing its partitions needs no leases
        this.replies = consumer(s.kafka(), s.applierGroup() + "-write-back", s.repliesTopic(), sharing);
        if (sharing) {
            replies.subscribe(List.of(s.repliesTopic()));
        } else {
            replies.assign(partitions(replies, s.repliesTopic()));
        }
        // staff's pause is obeyed between polls and, within a batch under way, before each request
        ApplierPause pause = new ApplierPause(s.vk(), s.applierGroup());
        GeofaClient client = new GeofaClient(s.geofa(), Clock.systemUTC(), () -> {
            lease.check(); // no statement leaves once the lease is lost
            pause.refuseWhilePaused();
        });
        if (shared.isPresent()) {
            // the other instances send as the same GeoFA user: one budget for all of them
            client.budget().shareWith(new SharedRequestWindow(s.vk(), s.geofa().baseUrl().resolve("/") + "|" + s.geofa().user(),
                    s.geofa().requestsPerMinute()));
        }
        this.geofaClient = client;
        KafkaReplies toVk = new KafkaReplies(producer, s.repliesTopic());
        this.applier = new ChangeConsumer(changes, new ChangeApplier(s.mapping(), new GeofaWriter(client, s.vk()), s.vk(), toVk, currentRun),
                new DeadLetters(s.vk()), new Replays(s.vk(), s.applierGroup(), s.changesTopic()), shared)
                .obeying(pause);
        this.deadLetters = new DeadLetterPublisher(new DeadLetters(s.vk()), producer, s.deadLettersTopic());
        this.writeBack = new ReplyConsumer(replies, new WriteBack(s.vk(), s.mapping()));
    }

    /**
     * A consumer of the group, not yet subscribed or assigned. Alone, the pipeline takes every
     * partition itself (no rebalance to wait for, so the first poll already reads; offsets are still
     * committed under the group, and the applier lease keeps it to one pipeline per group).
     */
    private static KafkaConsumer<String, byte[]> consumer(KafkaConnection kafka, String group, String topic, boolean share) {
        if (!share) {
            return kafka.consumer(group, Map.of("max.poll.records", 6000));
        }
        // instances share the partitions: Kafka's group assignment, moving only what must move on a rebalance; a killed
        // instance's partitions move on after 10 s without its heartbeat, not after the client's default 45 s; smaller
        // polls, as the budget shared by all instances makes a batch's requests wait longer
        // the client id names the process (pid@host), so status shows which instance applies which partition
        return kafka.consumer(group, Map.of("max.poll.records", 2000,
                "client.id", group + "-" + java.lang.management.ManagementFactory.getRuntimeMXBean().getName(),
                "partition.assignment.strategy", org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName(),
                "session.timeout.ms", 10_000, "heartbeat.interval.ms", 2_000));
    }

    /** The partitions this instance applies and those it waits to take over, when instances share them (else empty). */
    public Optional<PartitionOwnership> sharedPartitions() {
        return shared;
    }

    /** The topic's partitions; a topic created a moment ago may not be in the broker's metadata yet, so ask again for a while. */
    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                c.close();
                throw new IllegalStateException("Kafka shows no partitions of topic " + topic + " after 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.close();
                throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
            }
        }
    }

    /** How long {@code once} may run by default before the rest waits for the next run. */
    public static final Duration MAX_RUN_TIME = Duration.ofMinutes(30);
    /**
     * Rounds in a row in which GeoFA took nothing and left events waiting, before a run gives up: with
     * the pauses between them (4, 8, 16 and 30 times the client's first retry wait: 2, 4, 8, 15 s by
     * default) and the client's own tries, GeoFA has about half a minute to come back.
     */
    private static final int UNREACHABLE_ROUNDS = 5;

    /** {@link #syncUntilIdle(Duration)} within {@link #MAX_RUN_TIME}. */
    public Map<Applied, Integer> syncUntilIdle() throws SQLException {
        return syncUntilIdle(MAX_RUN_TIME);
    }

    /**
     * Relays, applies and writes back until three rounds in a row move nothing; returns what was
     * applied. Lost answers and throttling are settled within the run, so one run converges; it
     * fails only when GeoFA stayed out of reach for several rounds or the run time ran out, and
     * then what is not applied waits on Kafka for the next run.
     */
    public Map<Applied, Integer> syncUntilIdle(Duration maxRunTime) throws SQLException {
        Map<Applied, Integer> total = new EnumMap<>(Applied.class);
        long deadline = System.nanoTime() + maxRunTime.toNanos();
        boolean more;
        do {
            // the relay publishes on a thread of its own meanwhile, so the applier starts on the first batch, not after the last
            try (RelayAlongside relayed = new RelayAlongside(relay)) {
                roundsUntilQuiet(relayed, total, deadline, maxRunTime);
                relayed.close();
                more = relayed.publishedSinceAsked() > 0; // published after the last round looked
            }
            more = relay.drain() > 0 || more; // what was committed after the relay's last look goes in this run too
        } while (more);
        return total;
    }

    private void roundsUntilQuiet(RelayAlongside relayed, Map<Applied, Integer> total, long deadline, Duration maxRunTime) throws SQLException {
        int quiet = 0;
        int stuck = 0;
        while (quiet < 3) {
            long published = relayed.publishedSinceAsked();
            Map<Applied, Integer> done = applier.pollOnce(Duration.ofMillis(200));
            deadLetters.publishPending();
            int written = writeBack.pollOnce(Duration.ofMillis(50));
            done.forEach((k, v) -> total.merge(k, v, Integer::sum));
            applied(done);
            Optional<String> setBack = applier.setBackReason();
            // events delivered again after a set-back are dropped by the inbox: that is no progress of GeoFA's
            boolean progressed = done.entrySet().stream().anyMatch(d -> d.getKey() != Applied.DUPLICATE && d.getValue() > 0);
            stuck = setBack.isPresent() && !progressed ? stuck + 1 : 0;
            if (stuck >= UNREACHABLE_ROUNDS) {
                throw new IllegalStateException("GeoFA did not answer (" + setBack.get() + "); nothing is lost: the changes not applied "
                        + "wait on Kafka for the next run");
            }
            if (stuck > 0) {
                // a refused connection fails at once, without the client's own tries: give GeoFA a moment to come back
                pause(geofaClient.settings().initialBackoff().multipliedBy(Math.min(30, 4L << (stuck - 1))));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the run reached its time limit of " + maxRunTime.toMinutes() + " min; nothing is lost: "
                        + "what is not applied yet waits on Kafka for the next run");
            }
            quiet = published == 0 && relayed.idle() && done.isEmpty() && written == 0 && setBack.isEmpty() ? quiet + 1 : 0;
        }
    }

    /**
     * The relay draining the outbox on a thread of its own for one {@code once} (the service has the
     * relay's own loop): a failure to publish ends the run as it would if the run published itself.
     */
    private static final class RelayAlongside implements AutoCloseable {
        private final OutboxRelay relay;
        private final Thread thread;
        private final java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();
        private volatile boolean running = true;
        private volatile boolean idle;
        private volatile Exception failure;

        RelayAlongside(OutboxRelay relay) {
            this.relay = relay;
            this.thread = new Thread(this::drainUntilClosed, "geofa-sync-once-relay");
            thread.setDaemon(true);
            thread.start();
        }

        private void drainUntilClosed() {
            try {
                while (running) {
                    idle = false;
                    long n = relay.drain(1); // a batch at a time, so closing waits for one batch at most
                    published.addAndGet(n);
                    if (n == 0) {
                        idle = true;
                        Thread.sleep(50);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException | RuntimeException e) {
                failure = e;
            }
        }

        /** Events published since the last call; throws what stopped the relay, if something did. */
        long publishedSinceAsked() throws SQLException {
            if (failure instanceof SQLException q) {
                throw q;
            }
            if (failure != null) {
                throw (RuntimeException) failure;
            }
            return published.getAndSet(0);
        }

        /** Whether the relay's last look found nothing to publish, and it is not looking again right now. */
        boolean idle() {
            return idle;
        }

        /** Stops the thread after the batch at hand (published and marked, not cut off); throws what stopped the relay, if something did. */
        @Override
        public void close() throws SQLException {
            if (!running) {
                return; // closed before: said what it had to then
            }
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                publishedSinceAsked();
            }
        }
    }

    private static void pause(Duration time) {
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for GeoFA", e);
        }
    }

    /**
     * Runs the stages side by side until {@link #close()}, as the service does: the relay in its own
     * loop (NOTIFY or a short poll), the applier and the write-back each in a thread of its own,
     * so a change is carried on as soon as the stage before it let go. A stage that fails is
     * logged and tried again after a pause; nothing is acknowledged that was not done.
     */
    public synchronized void start() {
        if (!workers.isEmpty()) {
            throw new IllegalStateException("the pipeline is already running");
        }
        running = true;
        relay.start();
        workers.add(worker("applier", () -> {
            applied(applier.pollOnce(Duration.ofMillis(500)));
            deadLetters.publishPending();
        }));
        workers.add(worker("write-back", () -> writeBack.pollOnce(Duration.ofMillis(500))));
        workers.forEach(Thread::start);
    }

    /** The relay's counters (events published, batches, failures), for metrics. */
    public dk.geofasync.transport.relay.RelayStats relayStats() {
        return relay.stats();
    }

    /** The GeoFA user's request budget as the applier uses it (shared by the user's clients in the process), for status and metrics. */
    public dk.geofasync.applier.geofa.RequestBudget.Usage geofaBudget() {
        return geofaClient.budget().usage();
    }

    /** What keeps a stage from going on right now (a fault of VK's or of geofa-sync itself), for staff. */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems.values());
        relay.problem().ifPresent(all::add);
        return all;
    }

    /** GeoFA's refusal of the login while it lasts (a stage fails on it and has not gone on since), for alerts and status. */
    public Optional<String> geofaLoginRefused() {
        return geofaLoginRefused;
    }

    /** Why the running pipeline stopped by itself (its applier lease was lost), if it did: the service must then exit. */
    public Optional<String> stoppedBecause() {
        return stoppedBecause;
    }

    /** Whether the stages started by {@link #start()} are still running (liveness). */
    public boolean alive() {
        return running && workers.stream().allMatch(Thread::isAlive);
    }

    /**
     * The run the pipeline's work is recorded under (sync.change_log and sync.inbox run_id): whoever
     * starts and ends runs sets and clears it.
     */
    public CurrentRun currentRun() {
        return currentRun;
    }

    /**
     * What the pipeline applied so far, by outcome, since it was opened: by the running stages and by
     * {@link #syncUntilIdle()}'s rounds, also those before it failed.
     */
    public Map<Applied, Integer> appliedSoFar() {
        synchronized (appliedTotal) {
            return new EnumMap<>(appliedTotal);
        }
    }

    private void applied(Map<Applied, Integer> done) {
        synchronized (appliedTotal) {
            done.forEach((k, v) -> appliedTotal.merge(k, v, Integer::sum));
        }
    }

    private volatile Optional<String> geofaLoginRefused = Optional.empty();

    private Thread worker(String name, Runnable step) {
        Thread t = new Thread(() -> {
            Duration pause = Backoff.STAGE.first();
            String failing = null;
            while (running) {
                try {
                    step.run();
                    pause = Backoff.STAGE.first();
                    if (failing != null) {
                        if (name.equals("applier")) {
                            geofaLoginRefused = Optional.empty(); // only the applier logs in to GeoFA
                        }
                        LOG.info("{}: going again after: {}", name, failing);
                        failing = null;
                        problems.remove(name);
                    }
                } catch (org.apache.kafka.common.errors.WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                    return;
                } catch (RuntimeException e) {
                    Optional<ApplierLease.Lost> lost = lost(e);
                    if (lost.isPresent()) {
                        // another applier may be writing now: trying again here could send a create twice
                        LOG.error("{}: {}", name, lost.get().getMessage());
                        stoppedBecause = Optional.of(lost.get().getMessage());
                        running = false;
                        return;
                    }
                    if (e instanceof dk.geofasync.applier.geofa.GeofaException.LoginFailed) {
                        geofaLoginRefused = Optional.of(e.getMessage());
                    }
                    // logged once with its cause (a bug or VK failing is the same every round); the status page says it meanwhile
                    if (!String.valueOf(e.getMessage()).equals(failing)) {
                        LOG.error("{}: {} (its events wait and are tried again, with back-off up to 30 s)", name, e.getMessage(), e);
                        failing = String.valueOf(e.getMessage());
                        problems.put(name, name + " stopped since " + java.time.OffsetDateTime.now().withNano(0) + ": " + failing);
                    } else {
                        LOG.debug("{}: still {} (trying again in {} ms)", name, failing, pause.toMillis());
                    }
                    try {
                        Thread.sleep(pause.toMillis());
                    } catch (InterruptedException stop) {
                        return;
                    }
                    pause = Backoff.STAGE.after(pause);
                }
            }
        }, "geofa-sync-" + name);
        t.setDaemon(true);
        return t;
    }

    /** The lease's loss, also where Kafka wrapped it (thrown from a rebalance callback inside poll). */
    private static Optional<ApplierLease.Lost> lost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApplierLease.Lost l) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        running = false;
        changes.wakeup();
        replies.wakeup();
        // a GeoFA request on its way may take the client's whole timeout: its partitions must not move before it ends
        long joinMs = geofaClient.settings().requestTimeout().plusSeconds(5).toMillis();
        for (Thread t : workers) {
            try {
                t.join(Math.max(10_000, joinMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (shared.isPresent() && workers.stream().anyMatch(Thread::isAlive)) {
            // still applying: letting go now could let another instance apply the same partitions beside it;
            // the leases and the group membership end with this process instead
            LOG.warn("the applier did not stop within {} ms; its partitions are let go when this process exits", Math.max(10_000, joinMs));
            closeQuietly("the relay", relay);
            closeQuietly("the producer", producer);
            closeQuietly("the replies consumer", replies);
            return;
        }
        if (shared.isPresent()) {
            // before the consumer's close lets go of the partitions (Kafka calls back from close): a thread
            // still applying is fenced off first, and the partitions are free for the others only then
            closeQuietly("the partition leases", lease);
        }
        closeQuietly("the applier", applier);
        closeQuietly("the changes consumer", changes);
        closeQuietly("the replies consumer", replies);
        closeQuietly("the relay", relay);
        closeQuietly("the producer", producer);
        closeQuietly("the applier lease", lease); // last, whatever failed before: a pooled connection must not keep the lock
    }

    private static void closeQuietly(String what, AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", what, e.getMessage());
        }
    }
}
