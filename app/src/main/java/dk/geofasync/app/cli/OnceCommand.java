package dk.geofasync.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.alert.Alert;
import dk.geofasync.app.alert.AlertFacts;
import dk.geofasync.app.alert.AlertFactsReader;
import dk.geofasync.app.alert.AlertMailer;
import dk.geofasync.app.alert.AlertPlanner;
import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.applier.pause.ApplierPause;
import dk.geofasync.applier.apply.Applied;
import dk.geofasync.applier.run.RunKind;
import dk.geofasync.applier.run.Runs;
import dk.geofasync.core.mapping.Mapping;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code geofa-sync once}: cron mode: relay and apply everything pending, write the ids back, record the run, exit. */
@Command(name = "once", mixinStandardHelpOptions = true,
        description = {"Cron mode: relay everything pending to Kafka, apply it to GeoFA, write new objekt_ids back to VK, then exit.",
            "Lost answers, throttling and expired tokens are settled within the run, so one run applies everything pending.",
            "Exit code 0: all applied; 1: something went to dead letters (geofa-sync dead-letters list); 2: could not run",
            "(GeoFA or Kafka stayed out of reach, or --max-run-time ran out; nothing is lost, the next run goes on).",
            "Each run is recorded in sync.run."})
public final class OnceCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(OnceCommand.class);

    @Mixin
    MappingOption mapping;
    @Mixin
    DatabaseOptions database;
    @Mixin
    KafkaOptions kafka;
    @Mixin
    GeofaOptions geofa;
    @picocli.CommandLine.Option(names = "--max-run-time", defaultValue = "${env:GEOFA_SYNC_MAX_RUN_TIME_MINUTES:-30}", paramLabel = "MINUTES",
            description = "stop after this long (env GEOFA_SYNC_MAX_RUN_TIME_MINUTES; default ${DEFAULT-VALUE}); what is not applied yet "
                    + "waits on Kafka for the next run, and the run exits 2")
    int maxRunTimeMinutes;
    @Mixin
    MailOptions mail;
    @Spec
    CommandSpec spec;

    /** A mail that cannot go is logged, and the run's outcome stands (cron reports the exit code as well). */
    private static void mail(Optional<AlertMailer> mailer, Alert alert) {
        try {
            mailer.ifPresent(m -> m.send(alert));
        } catch (RuntimeException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        Mapping loaded = mapping.load();
        kafka.check();
        var geofaSettings = geofa.settings(); // a wrong setting stops here, before a run is recorded
        Optional<AlertMailer> mailer = mail.settings().map(AlertMailer::new);
        try (HikariDataSource vk = database.open("once", 10)) {
            Runs runs = new Runs(vk);
            AlertFactsReader alerts = new AlertFactsReader(vk);
            long lettersBefore = alerts.read(Long.MAX_VALUE, Optional.empty(), Optional.empty(), Optional.empty()).newestLetter();
            long run = runs.start(RunKind.ONCE);
            Map<Applied, Integer> done;
            LocalPipeline opened = null;
            try (LocalPipeline pipeline = new LocalPipeline(kafka.pipeline(vk, loaded, geofaSettings))) {
                opened = pipeline;
                pipeline.currentRun().set(run);
                done = pipeline.syncUntilIdle(java.time.Duration.ofMinutes(maxRunTimeMinutes));
            } catch (Exception | Error e) {
                // what was applied before it failed is in GeoFA: the run counts it
                runs.failed(run, e.getMessage(), opened == null ? Map.of() : opened.appliedSoFar());
                mail(mailer, AlertPlanner.runFailed(new AlertFacts.FailedRun(run, "once", String.valueOf(e.getMessage()))));
                throw e;
            }
            runs.finish(run, done);
            int deadLettered = done.getOrDefault(Applied.DEAD_LETTERED, 0);
            spec.commandLine().getOut().printf("run %d: created %d, updated %d, deleted %d, skipped %d, dead letters %d%n", run,
                    done.getOrDefault(Applied.CREATED, 0), done.getOrDefault(Applied.UPDATED, 0), done.getOrDefault(Applied.DELETED, 0),
                    done.getOrDefault(Applied.SKIPPED, 0) + done.getOrDefault(Applied.DUPLICATE, 0), deadLettered);
            LOG.info("run {} finished: {}", run, done);
            Optional<ApplierPause.Paused> paused = new ApplierPause(vk, kafka.applierGroup()).current();
            if (paused.isPresent()) {
                // cron watches the exit code: a run that could apply nothing must not look like a quiet day
                spec.commandLine().getErr().println("geofa-sync once: " + paused.get().line());
                return GeofaSync.PROBLEMS;
            }
            if (deadLettered > 0 && mailer.isPresent()) {
                try {
                    AlertFacts letters = alerts.read(lettersBefore, Optional.empty(), Optional.empty(), Optional.empty());
                    if (letters.newLetterCount() > 0) {
                        mail(mailer, AlertPlanner.digest(letters));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("the run's dead letters could not be mailed: {}", e.getMessage()); // the run stands; its exit code says 1
                }
            }
            return deadLettered > 0 ? GeofaSync.PROBLEMS : GeofaSync.OK;
        }
    }
}
