package dk.geofasync.app.service;

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
                           Duration statusEvery, Duration reconcileEvery, Optional<Alerting> alerts, Applying applying) {
        /** A reconcile a week: the default, cheap on GeoFA (a request per table when nothing differs). */
        public static final Duration DEFAULT_RECONCILE_EVERY = Duration.ofDays(7);

        public static Settings of(LocalPipeline.Settings pipeline, InetSocketAddress http) {
            return new Settings(pipeline, http, Duration.ofHours(1), Retention.Policy.DEFAULT, Duration.ofSeconds(10), DEFAULT_RECONCILE_EVERY,
                    Optional.empty(), Applying.ALONE);
        }

        /** The same, mailing alerts. */
        public Settings withAlerts(Alerting alerting) {
            return new Settings(pipeline, http, runWindow, retention, statusEvery, reconcileEvery, Optional.of(alerting), applying);
        }

        /** The same, sharing the group's partitions with other instances. */
        public Settings sharingPartitions() {
            return new Settings(pipeline, http, runWindow, retention, statusEvery, reconcileEvery, alerts, Applying.SHARED);
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
    private final StatusServer server;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "geofa-sync-schedule");
        t.setDaemon(true);
        return t;
    });
    /** Reconciles take minutes: a thread of their own, so the run windows and metrics go on meanwhile. */
    private final ScheduledExecutorService reconciles = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "geofa-sync-reconcile");
        t.setDaemon(true);
        return t;
    });
    private final Optional<AlertMailer> mailer;
    private final Optional<AlertSender> alerts;
    private volatile boolean gapSeen;
    private long run;
    private boolean closed;
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
        try {
            // the port first: a port in use stops start-up before anything runs
            ActivityReader activityReader = new ActivityReader(p.vk());
            this.server = new StatusServer(settings.http(),
                    () -> status.read(10, 50).withServiceProblems(pipeline.problems()).withGeofaBudget(geofaBudget()), () -> activity(activityReader),
                    pipeline::alive, health, metrics, this::role);
        } catch (IOException | RuntimeException e) {
            health.close();
            admin.close(Duration.ofSeconds(2));
            pipeline.close();
            throw new IllegalStateException("cannot serve HTTP on " + settings.http() + ": " + e.getMessage(), e);
        }
        this.run = runs.start(RunKind.SERVICE);
        pipeline.currentRun().set(run);
        pipeline.start();
        long window = settings.runWindow().toMillis();
        schedule.scheduleAtFixedRate(this::refreshMetrics, 0, settings.statusEvery().toMillis(), TimeUnit.MILLISECONDS);
        schedule.scheduleAtFixedRate(this::nextRun, window, window, TimeUnit.MILLISECONDS);
        schedule.scheduleAtFixedRate(this::purge, Duration.ofMinutes(1).toMillis(), Duration.ofDays(1).toMillis(), TimeUnit.MILLISECONDS);
        reconciles.scheduleWithFixedDelay(this::reconcileIfDue, RECONCILE_FIRST_LOOK.toMillis(), RECONCILE_LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        this.alerts = settings.alerts().map(a -> new AlertSender(new AlertFactsReader(p.vk()), mailer.orElseThrow(), a.rules(), () -> status.read(0, 0),
                pipeline::geofaLoginRefused).start(settings.statusEvery())); // as often as the metrics
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
        String group = settings.pipeline().applierGroup();
        java.sql.Connection c;
        try {
            c = settings.pipeline().vk().getConnection();
        } catch (java.sql.SQLException e) {
            LOG.warn("reconcile: cannot tell whether another instance reconciles ({}); looked at again in an hour", e.getMessage());
            return;
        }
        try (c) {
            try (java.sql.PreparedStatement lock = c.prepareStatement("select pg_try_advisory_lock(hashtext('geofa-sync reconcile ' || ?))")) {
                lock.setString(1, group);
                try (java.sql.ResultSet rs = lock.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        return; // another instance reconciles
                    }
                }
            } catch (java.sql.SQLException e) {
                LOG.warn("reconcile: cannot tell whether another instance reconciles ({}); looked at again in an hour", e.getMessage());
                return;
            }
            try {
                reconcileLocked();
            } finally {
                try (java.sql.PreparedStatement unlock = c.prepareStatement("select pg_advisory_unlock(hashtext('geofa-sync reconcile ' || ?))")) {
                    unlock.setString(1, group);
                    unlock.execute();
                } catch (java.sql.SQLException e) {
                    // the lock may still be held: the session must end rather than go back to the pool with it
                    try {
                        c.abort(Runnable::run);
                    } catch (java.sql.SQLException | RuntimeException gone) {
                        // already gone, and the lock with it
                    }
                    LOG.warn("reconcile: could not let go of the reconcile lock ({}); its VK session was ended instead", e.getMessage());
                }
            }
        } catch (java.sql.SQLException e) {
            LOG.debug("reconcile: closing the lock's connection: {}", e.getMessage());
        }
    }

    private void reconcileLocked() {
        try {
            boolean caughtUp = gapSeen && status.read(0, 0).retentionWarning().isEmpty();
            Optional<dk.geofasync.app.reconcile.ReconcileTrigger> due = new dk.geofasync.app.reconcile.ReconcileSchedule(settings.reconcileEvery())
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
            LOG.info("retention: purged {} change-log rows, {} runs, {} inbox entries, {} closed dead letters older than {} days; {} published outbox rows",
                    purged.changeLog(), purged.runs(), purged.inbox(), purged.deadLetters(), settings.retention().maxAge().toDays(), purged.outbox());
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
        schedule.shutdownNow();
        reconciles.shutdownNow();
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
