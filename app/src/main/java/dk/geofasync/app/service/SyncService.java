package dk.geofasync.app.service;

import dk.geofasync.app.action.ActionLog;
import dk.geofasync.app.action.ActionOutcome;
import dk.geofasync.app.action.ActionUsers;
import dk.geofasync.app.http.Served;
import dk.geofasync.app.http.ServiceEndpoints;
import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.app.alert.Alert;
import dk.geofasync.app.alert.AlertFactsReader;
import dk.geofasync.app.alert.AlertKind;
import dk.geofasync.app.alert.AlertMailer;
import dk.geofasync.app.alert.AlertSender;
import dk.geofasync.app.alert.AlertWatch;
import dk.geofasync.app.alert.MailSettings;
import dk.geofasync.app.retention.Retention;
import dk.geofasync.app.status.Activity;
import dk.geofasync.app.status.ActivityReader;
import dk.geofasync.app.status.GeofaBudget;
import dk.geofasync.app.status.StatusReader;
import dk.geofasync.app.status.SyncStatus;
import dk.geofasync.applier.apply.Applied;
import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.pause.ApplierPause;
import dk.geofasync.applier.run.RunKind;
import dk.geofasync.applier.run.Runs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code geofa-sync run}: the pipeline running side by side in near real time, a run in
 * {@code sync.run} per window (hourly by default) with what it did, the daily retention purge, and
 * the HTTP endpoints (status page, health, metrics).
 */
public final class SyncService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);

    /**
     * How the service runs besides the pipeline.
     *
     * @param reconcileEvery how often it reconciles VK with GeoFA and queues the repairs (zero: never; a gap the applier caught up
     *                       after is reconciled all the same)
     */
    public record Settings(LocalPipeline.Settings pipeline, InetSocketAddress http, Duration runWindow, Retention.Policy retention,
                           Duration statusEvery, Duration reconcileEvery, Optional<Alerting> alerts, Applying applying, ActionUsers actionUsers) {
        /** A reconcile a week: the default, cheap on GeoFA (a request per table when nothing differs). */
        public static final Duration DEFAULT_RECONCILE_EVERY = Duration.ofDays(7);

        public static Settings of(LocalPipeline.Settings pipeline, InetSocketAddress http) {
            return new Settings(pipeline, http, Duration.ofHours(1), Retention.Policy.DEFAULT, Duration.ofSeconds(10), DEFAULT_RECONCILE_EVERY,
                    Optional.empty(), Applying.ALONE, ActionUsers.none());
        }

        /** The same, mailing alerts. */
        public Settings withAlerts(Alerting alerting) {
            return new Settings(pipeline, http, runWindow, retention, statusEvery, reconcileEvery, Optional.of(alerting), applying, actionUsers);
        }

        /** The same, sharing the group's partitions with other instances. */
        public Settings sharingPartitions() {
            return new Settings(pipeline, http, runWindow, retention, statusEvery, reconcileEvery, alerts, Applying.SHARED, actionUsers);
        }

        /** The same, with users who may take the HTTP actions. */
        public Settings withActionUsers(ActionUsers users) {
            return new Settings(pipeline, http, runWindow, retention, statusEvery, reconcileEvery, alerts, applying, users);
        }
    }

    /** How the instance applies its consumer group's events. */
    public enum Applying {
        /** All partitions, one instance at a time; a second one waits as a standby. */
        ALONE,
        /** The partitions Kafka assigns it, side by side with other instances of the group. */
        SHARED
    }

    /** Alert mails: where they go, and how often (see {@link dk.geofasync.app.alert.AlertPlanner}). */
    public record Alerting(MailSettings mail, AlertWatch.Rules rules) {
    }


    /** How long after start-up the service first looks whether a reconcile is due, and how often after that. */
    private static final Duration RECONCILE_FIRST_LOOK = Duration.ofMinutes(10);
    private static final Duration RECONCILE_LOOK_EVERY = Duration.ofHours(1);

    private final Settings settings;
    private final LocalPipeline pipeline;
    private final Admin admin;
    private final Runs runs;
    private final StatusReader status;
    private final SyncMetrics metrics;
    private final HealthChecks health;
    private final ApplierPause pause;
    private final ServiceEndpoints server;
    /** The service's jobs on Micronaut's scheduler (run windows, metrics, retention, reconciles), cancelled on close. */
    private final java.util.List<java.util.concurrent.ScheduledFuture<?>> jobs = new java.util.ArrayList<>();
    private final Optional<AlertMailer> mailer;
    private final Optional<AlertSender> alerts;
    private volatile boolean gapSeen;
    private long run;
    private volatile boolean closed;
    /** Set once the constructor is through: actions that use the run or the scheduler wait for it. */
    private volatile boolean started;
    private Map<Applied, Integer> countedSoFar = new EnumMap<>(Applied.class);

    /** @throws dk.geofasync.applier.lease.ApplierLease.Held another instance applies for the group (see {@link Standby}) */
    public SyncService(Settings settings) throws IOException {
        this(settings, Optional.empty());
    }

    /** @param lease the applier's lease, when a standby already took it (a {@code PartitionLeases} when sharing); else the group's is taken here */
    public SyncService(Settings settings, Optional<? extends dk.geofasync.applier.lease.Lease> lease) throws IOException {
        this.settings = settings;
        this.mailer = settings.alerts().map(a -> new AlertMailer(a.mail())); // first: a bad mail setting stops start-up before anything runs
        LocalPipeline.Settings p = settings.pipeline();
        this.pipeline = new LocalPipeline(p, lease.isPresent() ? lease.get() : settings.applying() == Applying.SHARED
                ? dk.geofasync.applier.lease.PartitionLeases.join(p.vk(), p.applierGroup(), LocalPipeline.LEASE_WAIT)
                : dk.geofasync.applier.lease.ApplierLease.take(p.vk(), p.applierGroup(), LocalPipeline.LEASE_WAIT));
        this.admin = p.kafka().admin(Duration.ofSeconds(5));
        this.runs = new Runs(p.vk());
        this.status = new StatusReader(p.vk(), Optional.of(admin), p.applierGroup(), p.changesTopic());
        this.metrics = new SyncMetrics(pipeline);
        this.health = new HealthChecks(p.vk(), admin, new GeofaClient(p.geofa(), Clock.systemUTC()));
        this.pause = new ApplierPause(p.vk(), p.applierGroup());
        try {
            // the port first: a port in use stops start-up before anything runs
            ActivityReader activityReader = new ActivityReader(p.vk());
            this.server = ServiceEndpoints.start(settings.http(), new Served.Active(
                    () -> status.read(10, 50).withServiceProblems(problems()).withGeofaBudget(geofaBudget()), () -> activity(activityReader),
                    pipeline::alive, health, metrics, this::role),
                    Optional.of(new ServiceEndpoints.Actions(new StaffActions(this, p.vk(), p.mapping(), pause), settings.actionUsers(), new ActionLog(p.vk()))));
        } catch (RuntimeException e) {
            health.close();
            admin.close(Duration.ofSeconds(2));
            pipeline.close();
            throw e;
        }
        this.run = runs.start(RunKind.SERVICE);
        pipeline.currentRun().set(run);
        pipeline.start();
        // a pool: a reconcile taking minutes holds one thread while the run windows and metrics go on
        io.micronaut.scheduling.TaskScheduler scheduler = server.scheduler();
        jobs.add(scheduler.scheduleAtFixedRate(Duration.ZERO, settings.statusEvery(), this::refreshMetrics));
        jobs.add(scheduler.scheduleAtFixedRate(settings.runWindow(), settings.runWindow(), this::nextRun));
        jobs.add(scheduler.scheduleAtFixedRate(Duration.ofMinutes(1), Duration.ofDays(1), this::purge));
        jobs.add(scheduler.scheduleWithFixedDelay(RECONCILE_FIRST_LOOK, RECONCILE_LOOK_EVERY, this::reconcileIfDue));
        this.alerts = settings.alerts().map(a -> new AlertSender(new AlertFactsReader(p.vk()), mailer.orElseThrow(), a.rules(), () -> status.read(0, 0),
                pipeline::geofaLoginRefused).start(settings.statusEvery())); // as often as the metrics
        started = true;
        LOG.info("geofa-sync service running: run {} open, a new one every {} min", run, settings.runWindow().toMinutes());
    }

    /** The charts change by the hour: read at most once a minute, however many browsers refresh the page. */
    private static final Duration ACTIVITY_FRESH = Duration.ofMinutes(1);
    private final Object activityLock = new Object(); // not the service's own: a close in progress must not hold the page
    private Optional<Activity> activity = Optional.empty();
    private long activityReadAt;

    /** The page's charts; without them (logged) when VK cannot give them, as the rest of the page still helps. */
    private Optional<Activity> activity(ActivityReader reader) {
        synchronized (activityLock) {
            if (activity.isPresent() && System.nanoTime() - activityReadAt < ACTIVITY_FRESH.toNanos()) {
                return activity;
            }
            try {
                activity = Optional.of(reader.read());
                activityReadAt = System.nanoTime();
            } catch (RuntimeException e) {
                LOG.warn("the status page's charts could not be read: {}", e.getMessage());
                activity = Optional.empty();
            }
            return activity;
        }
    }

    /** What keeps the pipeline from going on, for staff: the stages' faults, and a pause staff put in place. */
    private java.util.List<String> problems() {
        java.util.List<String> all = new java.util.ArrayList<>(pipeline.problems());
        try {
            pause.current().ifPresent(p -> all.add(0, p.line()));
        } catch (RuntimeException e) {
            LOG.debug("whether the applier is paused could not be read: {}", e.getMessage());
        }
        return all;
    }

    /** What this instance does for its group: the whole group, or the partitions it shares with other instances. */
    InstanceRole role() {
        return pipeline.sharedPartitions().map(o -> InstanceRole.shared(o.partitions(), o.waitingFor())).orElse(InstanceRole.ACTIVE);
    }

    /** Why the service stopped applying by itself (its applier lease was lost), if it did: it must then exit. */
    public Optional<String> stoppedBecause() {
        return pipeline.stoppedBecause();
    }

    public int httpPort() {
        return server.port();
    }

    private void refreshMetrics() {
        try {
            SyncStatus latest = status.read(0, 0).withGeofaBudget(geofaBudget());
            metrics.update(latest);
            if (latest.retentionWarning().isPresent()) {
                gapSeen = true; // once the applier has caught up, a reconcile finds what Kafka may have dropped
            }
        } catch (RuntimeException e) {
            LOG.warn("status for the metrics could not be read: {}", e.getMessage());
        }
    }

    private GeofaBudget geofaBudget() {
        // every outcome counts: skipped and duplicate events leave the backlog too, and the estimate is of the backlog
        long applied = pipeline.appliedSoFar().values().stream().mapToLong(Integer::longValue).sum();
        return new GeofaBudget(pipeline.geofaBudget(), applied, settings.pipeline().geofa().maxRowsPerRequest());
    }

    /** Closes the window's run with what was applied in it and opens the next. */
    private synchronized void nextRun() {
        if (closed) {
            return; // close() finishes the last run; a window must not open after it
        }
        try {
            finishRun();
            pipeline.currentRun().clear(); // until the next run is recorded: never under a run that has ended
            run = runs.start(RunKind.SERVICE);
            pipeline.currentRun().set(run);
        } catch (RuntimeException e) {
            LOG.warn("could not record the service's run: {}", e.getMessage());
        }
    }

    private void finishRun() {
        Map<Applied, Integer> total = pipeline.appliedSoFar();
        Map<Applied, Integer> window = new EnumMap<>(Applied.class);
        total.forEach((k, v) -> window.put(k, v - countedSoFar.getOrDefault(k, 0)));
        runs.finish(run, window);
        countedSoFar = total;
    }

    /** Reconciles with repair (orphans are left to a person) when the schedule says so, or after a gap the applier has caught up. */
    private void reconcileIfDue() {
        // instances sharing the partitions each look; one reconciles, the others find it running and leave it
        Optional<ReconcileLock> lock;
        try {
            lock = ReconcileLock.tryTake(settings.pipeline().vk(), settings.pipeline().applierGroup());
        } catch (java.sql.SQLException e) {
            LOG.warn("reconcile: cannot tell whether another instance reconciles ({}); looked at again in an hour", e.getMessage());
            return;
        }
        if (lock.isPresent()) {
            try {
                reconcileLocked(Optional.empty());
            } finally {
                lock.get().close();
            }
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean reconcileAsked = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Optional<java.util.concurrent.ScheduledFuture<?>> askedReconcile = Optional.empty();

    /** Starts a reconcile now (staff asked for it), holding the group's reconcile lock already: refused while another one runs. */
    synchronized ActionOutcome reconcileNow() {
        if (!started || closed) {
            return ActionOutcome.refused("the service is starting or stopping");
        }
        if (!reconcileAsked.compareAndSet(false, true)) {
            return ActionOutcome.refused("a reconcile asked for earlier has not ended yet");
        }
        Optional<ReconcileLock> lock;
        try {
            lock = ReconcileLock.tryTake(settings.pipeline().vk(), settings.pipeline().applierGroup());
        } catch (java.sql.SQLException e) {
            reconcileAsked.set(false);
            return ActionOutcome.failed("VK could not say whether a reconcile runs: " + e.getMessage());
        }
        if (lock.isEmpty()) {
            reconcileAsked.set(false);
            return ActionOutcome.refused("a reconcile is running already (the schedule's, or another instance's)");
        }
        try {
            askedReconcile = Optional.of(server.scheduler().schedule(Duration.ZERO, () -> {
                try {
                    reconcileLocked(Optional.of(dk.geofasync.app.reconcile.ReconcileTrigger.ACTION));
                } finally {
                    lock.get().close();
                    reconcileAsked.set(false);
                }
            }));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            lock.get().close();
            reconcileAsked.set(false);
            return ActionOutcome.failed("the service is stopping");
        }
        return ActionOutcome.done("a reconcile with repair started; its result goes to sync.reconcile_run and the status page, its report by mail when alerts are on");
    }

    /** Closes the run window now and opens the next, and wakes the relay: what follows is recorded in a run of its own. */
    synchronized ActionOutcome syncNow() {
        if (!started || closed) {
            return ActionOutcome.refused("the service is starting or stopping");
        }
        nextRun();
        try (java.sql.Connection c = settings.pipeline().vk().getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("notify " + dk.geofasync.db.SyncSchema.OUTBOX_CHANNEL);
        } catch (java.sql.SQLException e) {
            return ActionOutcome.failed("VK did not take the relay's wake-up: " + e.getMessage());
        }
        return ActionOutcome.done("the relay looks at the outbox now; run " + run + " records what follows");
    }

    /** Reconciles when due, or at once with {@code forced} as its trigger; the caller holds the group's reconcile lock. */
    private void reconcileLocked(Optional<dk.geofasync.app.reconcile.ReconcileTrigger> forced) {
        try {
            boolean caughtUp = gapSeen && status.read(0, 0).retentionWarning().isEmpty();
            Optional<dk.geofasync.app.reconcile.ReconcileTrigger> due = forced.isPresent() ? forced : new dk.geofasync.app.reconcile.ReconcileSchedule(settings.reconcileEvery())
                    .due(dk.geofasync.app.reconcile.Reconcile.lastByService(settings.pipeline().vk(), "succeeded"),
                            dk.geofasync.app.reconcile.Reconcile.lastByService(settings.pipeline().vk(), "failed"), java.time.Instant.now(), caughtUp);
            if (due.isEmpty()) {
                return;
            }
            gapSeen = false;
            LocalPipeline.Settings p = settings.pipeline();
            dk.geofasync.app.reconcile.Reconcile.Report report = new dk.geofasync.app.reconcile.Reconcile(p.vk(), p.mapping(),
                    new GeofaClient(p.geofa(), Clock.systemUTC())).run(new dk.geofasync.app.reconcile.Reconcile.Options(Optional.empty(), true, false, due.get()));
            alerts.ifPresent(a -> a.sendNow(reconcileReport(report)));
        } catch (RuntimeException e) {
            LOG.warn("reconcile failed (looked at again in an hour): {}", e.getMessage());
        }
    }

    /** The report as staff read it from {@code geofa-sync reconcile}: keys, objekt_ids and column names, no values. */
    private static Alert reconcileReport(dk.geofasync.app.reconcile.Reconcile.Report report) {
        java.io.StringWriter text = new java.io.StringWriter();
        try (java.io.PrintWriter out = new java.io.PrintWriter(text)) {
            dk.geofasync.app.reconcile.ReportText.print(report, true, out);
        }
        return new Alert(AlertKind.RECONCILE_REPORT, "geofa-sync: reconcile " + report.run() + ", " + report.differences() + " differences",
                text.toString().lines().toList());
    }

    private void purge() {
        try {
            Retention.Purged purged = new Retention(settings.pipeline().vk()).purge(settings.retention(), OffsetDateTime.now());
            LOG.info("retention: purged {} change-log rows, {} runs, {} inbox entries, {} closed dead letters, {} recorded actions older than {} days; "
                    + "{} published outbox rows", purged.changeLog(), purged.runs(), purged.inbox(), purged.deadLetters(), purged.actions(),
                    settings.retention().maxAge().toDays(), purged.outbox());
        } catch (RuntimeException e) {
            LOG.warn("retention purge failed (tried again tomorrow): {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        jobs.forEach(j -> j.cancel(true));
        askedReconcile.ifPresent(j -> j.cancel(true)); // Micronaut's scheduler ends with shutdown(), which would let it run on
        alerts.ifPresent(AlertSender::close);
        server.close();
        pipeline.close();
        try {
            finishRun();
        } catch (RuntimeException e) {
            LOG.warn("could not close run {}: {}", run, e.getMessage());
        }
        health.close();
        admin.close(Duration.ofSeconds(2));
        LOG.info("geofa-sync service stopped");
    }
}
