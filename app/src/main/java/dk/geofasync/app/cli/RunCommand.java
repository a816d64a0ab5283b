package dk.geofasync.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.action.ActionUsers;
import dk.geofasync.app.retention.Retention;
import dk.geofasync.app.service.Standby;
import dk.geofasync.app.service.SyncService;
import dk.geofasync.core.config.Secret;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code geofa-sync run}: the service, until stopped (SIGTERM, Ctrl-C). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The service: relay, applier and write-back side by side in near real time, until stopped (SIGTERM).",
            "HTTP: / status page, /status.json, /health/live, /health/ready (VK, Kafka, GeoFA), /metrics (Prometheus);",
            "for the users of --http-users-file: POST /actions/sync, /actions/dead-letters/retry|discard, /actions/reconcile,",
            "/actions/applier/pause|resume, each recorded in sync.action.",
            "Records a run in sync.run per --run-window and purges old change-log rows daily (--retention-days)."})
public final class RunCommand implements Callable<Integer> {

    @Mixin
    MappingOption mapping;
    @Mixin
    DatabaseOptions database;
    @Mixin
    KafkaOptions kafka;
    @Mixin
    GeofaOptions geofa;

    @Option(names = "--http-port", defaultValue = "${env:GEOFA_SYNC_HTTP_PORT:-8080}", paramLabel = "PORT",
            description = "port of the status page, health and metrics (default ${DEFAULT-VALUE}; env GEOFA_SYNC_HTTP_PORT)")
    int httpPort;
    @Option(names = "--http-host", defaultValue = "${env:GEOFA_SYNC_HTTP_HOST:-127.0.0.1}", paramLabel = "ADDRESS",
            description = "address to listen on (default ${DEFAULT-VALUE}, this machine only; env GEOFA_SYNC_HTTP_HOST); 0.0.0.0 opens it to the network")
    String httpHost;
    @Option(names = "--http-users-file", defaultValue = "${env:GEOFA_SYNC_HTTP_USERS_FILE}", paramLabel = "FILE",
            description = {"users who may take the HTTP actions (POST /actions/...), a line name:password each (env GEOFA_SYNC_HTTP_USERS_FILE);",
                "or one user from env GEOFA_SYNC_HTTP_USER and GEOFA_SYNC_HTTP_PASSWORD; none: the actions are off, the pages read-only"})
    Path httpUsersFile;
    @Option(names = "--run-window", defaultValue = "${env:GEOFA_SYNC_RUN_WINDOW_MINUTES:-60}", paramLabel = "MINUTES",
            description = "one run in sync.run per this many minutes (default ${DEFAULT-VALUE})")
    int runWindowMinutes;
    @Option(names = "--reconcile-every", defaultValue = "${env:GEOFA_SYNC_RECONCILE_EVERY_DAYS:-7}", paramLabel = "DAYS",
            description = "reconcile VK with GeoFA and queue the repairs this often (env GEOFA_SYNC_RECONCILE_EVERY_DAYS; default "
                    + "${DEFAULT-VALUE}; 0 = only after a gap: when an event waited long enough that Kafka may have dropped others, "
                    + "once the applier has caught up); orphans are left to a person (geofa-sync reconcile --repair --delete-orphans)")
    int reconcileEveryDays;
    @Option(names = "--share-partitions", defaultValue = "${env:GEOFA_SYNC_SHARE_PARTITIONS:-false}", paramLabel = "true|false",
            arity = "0..1", fallbackValue = "true",
            description = {"several instances apply side by side, each the changes-topic partitions Kafka assigns it (env "
                    + "GEOFA_SYNC_SHARE_PARTITIONS; default ${DEFAULT-VALUE}: one instance applies, a second waits as a standby)"})
    boolean sharePartitions;
    @Mixin
    RetentionOptions retentionOptions;
    @Mixin
    MailOptions mail;

    @Override
    public Integer call() throws Exception {
        if (reconcileEveryDays < 0) {
            throw new IllegalArgumentException("--reconcile-every must be 0 (only after a gap) or more days, got " + reconcileEveryDays);
        }
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("--http-port must be 0-65535, got " + httpPort);
        }
        if (runWindowMinutes < 1) {
            throw new IllegalArgumentException("--run-window must be at least 1 minute, got " + runWindowMinutes);
        }
        Retention.Policy retention = retentionOptions.policy();
        var loaded = mapping.load();
        kafka.check();
        var geofaSettings = geofa.settings();
        var alerting = mail.alerting();
        ActionUsers users = actionUsers();
        try (HikariDataSource vk = database.open("service", 12)) {
            SyncService.Settings settings = new SyncService.Settings(kafka.pipeline(vk, loaded, geofaSettings),
                    new InetSocketAddress(httpHost, httpPort), Duration.ofMinutes(runWindowMinutes), retention, Duration.ofSeconds(10),
                    Duration.ofDays(reconcileEveryDays), alerting, sharePartitions ? SyncService.Applying.SHARED : SyncService.Applying.ALONE,
                    users);
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            AtomicBoolean stopping = new AtomicBoolean();
            AtomicReference<SyncService> running = new AtomicReference<>();
            // SIGTERM (systemd stop, docker stop) and Ctrl-C: finish the current batch, close the run, then exit
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.set(true);
                Optional.ofNullable(running.get()).ifPresent(SyncService::close);
                stopped.countDown();
                try {
                    // the JVM ends when this returns: let a service that was just starting (after a standby) close its run first
                    done.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "geofa-sync-stop"));
            try {
                return serve(settings, stopping, running, stopped);
            } finally {
                done.countDown();
            }
        }
    }

    /** The users file, else the environment's one user, else no one (the actions are off). */
    private ActionUsers actionUsers() {
        if (httpUsersFile != null) {
            return ActionUsers.fromFile(httpUsersFile);
        }
        String user = System.getenv("GEOFA_SYNC_HTTP_USER");
        Secret password = Secret.fromFileOrEnvironment(null, "GEOFA_SYNC_HTTP_PASSWORD");
        if ((user == null || user.isBlank()) != password.isEmpty()) {
            throw new IllegalArgumentException("set both GEOFA_SYNC_HTTP_USER and GEOFA_SYNC_HTTP_PASSWORD, or neither");
        }
        return user == null || user.isBlank() ? ActionUsers.none() : ActionUsers.of(user, password);
    }

    private static Integer serve(SyncService.Settings settings, AtomicBoolean stopping, AtomicReference<SyncService> running, CountDownLatch stopped)
            throws Exception {
        // a second instance for the same group waits as a standby and takes over when the active one stops
        Optional<SyncService> started = Standby.startWhenActive(settings, stopping::get);
        if (started.isEmpty()) {
            return GeofaSync.OK; // stopped while on standby
        }
        SyncService service = started.get();
        running.set(service);
        if (stopping.get()) {
            service.close(); // the stop came while it started
            return GeofaSync.OK;
        }
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            Optional<String> why = service.stoppedBecause();
            if (why.isPresent()) {
                // exit, so systemd's restart takes the lease anew (or waits for the process that holds it)
                service.close();
                throw new IllegalStateException(why.get());
            }
        }
        return GeofaSync.OK;
    }
}
