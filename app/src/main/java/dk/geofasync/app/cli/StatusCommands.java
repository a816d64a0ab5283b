package dk.geofasync.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.retention.Retention;
import dk.geofasync.app.status.StatusReader;
import dk.geofasync.app.status.StatusReport;
import dk.geofasync.app.status.SyncStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The commands staff use to look at the sync: {@code status}, {@code runs}, and {@code purge} for retention. */
public final class StatusCommands {

    private StatusCommands() {
    }

    /** {@code geofa-sync status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"What is pending and what failed: outbox per table with the oldest change's age, relay lag, the applier's",
                "consumer lag per partition, open dead letters, the last good and the last failed run.",
                "Exit code 0: all well; 1: something needs a person (open dead letters, last run failed, Kafka out of reach); 2: VK unreachable."})
    public static final class Status implements Callable<Integer> {
        @Option(names = "--json", description = "print JSON for scripts")
        boolean json;
        @Mixin
        DatabaseOptions database;
        @Mixin
        KafkaOptions kafka;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (HikariDataSource vk = database.open("status", 1)) {
                Optional<Admin> admin;
                Optional<String> kafkaSettings = Optional.empty();
                try {
                    admin = kafka.adminIfGiven(Duration.ofSeconds(5));
                } catch (IllegalArgumentException | org.apache.kafka.common.KafkaException e) { // ours, or the client's (its messages hide passwords)
                    // VK's part is still worth seeing: report the settings' problem as Kafka's
                    admin = Optional.empty();
                    kafkaSettings = Optional.of("Kafka settings: " + e.getMessage());
                }
                try {
                    SyncStatus read = new StatusReader(vk, admin, kafka.applierGroup(), kafka.changesTopic()).read(5, 20);
                    SyncStatus status = kafkaSettings.map(read::withKafkaProblem).orElse(read);
                    PrintWriter out = spec.commandLine().getOut();
                    out.print(json ? StatusReport.json(status).toPrettyString() + "\n" : StatusReport.text(status));
                    out.flush();
                    return status.needsAttention() ? GeofaSync.PROBLEMS : GeofaSync.OK;
                } finally {
                    admin.ifPresent(a -> a.close(Duration.ofSeconds(2)));
                }
            }
        }
    }

    /** {@code geofa-sync runs}. */
    @Command(name = "runs", mixinStandardHelpOptions = true,
            description = "Recent runs (geofa-sync once, the service's hourly runs, backfills, retries) with their counts and outcome, newest first.")
    public static final class Runs implements Callable<Integer> {
        @Option(names = "--json", description = "print JSON for scripts")
        boolean json;
        @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "how many runs (default ${DEFAULT-VALUE})")
        int limit;
        @Mixin
        DatabaseOptions database;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
            }
            try (HikariDataSource vk = database.open("runs", 1)) {
                List<SyncStatus.RunLine> runs = new StatusReader(vk, Optional.empty(), "-", "-").recentRuns(limit);
                PrintWriter out = spec.commandLine().getOut();
                out.print(json ? StatusReport.runsJson(runs).toPrettyString() + "\n" : StatusReport.runsText(runs));
                out.flush();
                return GeofaSync.OK;
            }
        }
    }

    /** {@code geofa-sync purge}. */
    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = {"Retention (GDPR): delete change-log rows, finished runs, handled inbox entries and closed dead letters older",
                "than --days (default 30), runs beyond the last --keep-runs, and published outbox rows older than a day.",
                "Open dead letters and unpublished changes are kept. The service does this daily."})
    public static final class Purge implements Callable<Integer> {
        @Mixin
        RetentionOptions retention;
        @Mixin
        DatabaseOptions database;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Retention.Policy policy = retention.policy();
            try (HikariDataSource vk = database.open("purge", 1)) {
                Retention.Purged purged = new Retention(vk).purge(policy, OffsetDateTime.now());
                spec.commandLine().getOut().printf("purged older than %d days / beyond %d runs: %d change-log rows, %d runs, %d inbox entries, "
                        + "%d closed dead letters, %d recorded actions; %d published outbox rows older than a day%n", policy.maxAge().toDays(), policy.keepRuns(),
                        purged.changeLog(), purged.runs(), purged.inbox(), purged.deadLetters(), purged.actions(), purged.outbox());
                return GeofaSync.OK;
            }
        }
    }
}
