package dk.geofasync.app.alert;

import dk.geofasync.app.status.SyncStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's alerts: every few seconds it reads the facts, sends what {@link AlertPlanner}
 * decides, and remembers what went. A thread of its own, so a mail server that hangs for its
 * timeout delays no run window or metric; a mail that cannot go is tried at the next look, without
 * repeating the mails of that look that went.
 */
public final class AlertSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);

    private final AlertFactsReader reader;
    private final AlertMailer mailer;
    private final AlertWatch.Rules rules;
    private final Supplier<SyncStatus> status;
    private final Supplier<Optional<String>> geofaLoginRefused;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "geofa-sync-alerts");
        t.setDaemon(true);
        return t;
    });
    private AlertWatch watch;
    /** The last failure, logged once until mails go again. */
    private String failing;

    public AlertSender(AlertFactsReader reader, AlertMailer mailer, AlertWatch.Rules rules, Supplier<SyncStatus> status,
                       Supplier<Optional<String>> geofaLoginRefused) {
        this.reader = reader;
        this.mailer = mailer;
        this.rules = rules;
        this.status = status;
        this.geofaLoginRefused = geofaLoginRefused;
    }

    /** Looks now and then every {@code every}, until closed. */
    public AlertSender start(Duration every) {
        thread.scheduleWithFixedDelay(this::round, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One look: what is news is mailed. */
    void round() {
        try {
            SyncStatus now = status.get();
            if (watch == null) {
                watch = AlertWatch.startingAt(reader.read(Long.MAX_VALUE, now, Optional.empty())); // what was there before the start is not news
            }
            AlertPlanner.Decision decision = AlertPlanner.decide(watch, reader.read(watch.seenLetter(), now, geofaLoginRefused.get()), Instant.now(), rules);
            for (AlertPlanner.Step step : decision.steps()) {
                mailer.send(step.alert());
                watch = step.told();
                LOG.info("alert mailed: {}", step.alert().subject());
            }
            watch = decision.next();
            if (failing != null) {
                LOG.info("alert mails go again");
                failing = null;
            }
        } catch (RuntimeException | Error e) { // an escaping throwable would end the schedule for good
            if (!String.valueOf(e.getMessage()).equals(failing)) {
                LOG.warn("alerts could not be mailed (tried again at every look, logged again when the reason changes): {}", e.getMessage());
                failing = String.valueOf(e.getMessage());
            }
        }
    }

    /** Sends one mail outside the looks (a reconcile's report); a failure is logged, not thrown. */
    public void sendNow(Alert alert) {
        thread.execute(() -> {
            try {
                mailer.send(alert);
                LOG.info("alert mailed: {}", alert.subject());
            } catch (RuntimeException e) {
                LOG.warn("{}", e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
