package dk.geofasync.app.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Decides which alerts the facts call for, given what was told before: a pure function, so the rules are tested without mail. */
public final class AlertPlanner {

    /** Lines of letters one digest lists; the rest it counts. */
    static final int LETTERS_LISTED = 50;

    private AlertPlanner() {
    }

    /** The alerts to send now, and what is told once they went. */
    public record Decision(List<Alert> alerts, AlertWatch next) {
        public Decision {
            alerts = List.copyOf(alerts);
        }
    }

    public static Decision decide(AlertWatch watch, AlertFacts facts, Instant now, AlertWatch.Rules rules) {
        List<Alert> alerts = new ArrayList<>();
        long seenRun = watch.seenFailedRun();
        if (facts.lastFailedRun().isPresent() && facts.lastFailedRun().get().id() > seenRun) {
            alerts.add(runFailed(facts.lastFailedRun().get()));
            seenRun = facts.lastFailedRun().get().id();
        }
        long seenLetter = watch.seenLetter();
        Instant lastDigest = watch.lastDigest();
        boolean digestDue = !Duration.between(watch.lastDigest(), now).minus(rules.digestEvery()).isNegative();
        if (facts.newLetterCount() > 0 && digestDue) {
            alerts.add(digest(facts));
            seenLetter = facts.newestLetter();
            lastDigest = now;
        }
        boolean lagging = facts.oldestUnhandled().map(age -> age.compareTo(rules.lagThreshold()) >= 0).orElse(false);
        if (lagging && !watch.lagReported()) {
            alerts.add(new Alert(AlertKind.LAG, "geofa-sync: changes wait longer than " + minutes(rules.lagThreshold()), List.of(
                    "The oldest change not yet handled is " + minutes(facts.oldestUnhandled().orElseThrow()) + " old (the threshold is "
                            + minutes(rules.lagThreshold()) + ").",
                    "GeoFA, Kafka or the service may be out of reach, or the backlog is large; the status page says which.")));
        }
        boolean retention = facts.retentionWarning().isPresent();
        if (retention && !watch.retentionReported()) {
            alerts.add(new Alert(AlertKind.RETENTION, "geofa-sync: Kafka may drop changes the applier has not read", List.of(
                    facts.retentionWarning().get(),
                    "",
                    "Nothing is lost from VK: `geofa-sync replay --from-outbox` sends again what the topic dropped.")));
        }
        boolean login = facts.geofaLoginRefused().isPresent();
        if (login && !watch.loginReported()) {
            alerts.add(new Alert(AlertKind.GEOFA_LOGIN_REFUSED, "geofa-sync: GeoFA refuses the login", List.of(
                    facts.geofaLoginRefused().get(),
                    "",
                    "Nothing reaches GeoFA until the password or the user is fixed (GEOFA_SYNC_GEOFA_PASSWORD_FILE); changes wait in VK.")));
        }
        return new Decision(alerts, new AlertWatch(seenRun, seenLetter, lastDigest, lagging, retention, login));
    }

    /** The mail of a failed run. */
    public static Alert runFailed(AlertFacts.FailedRun run) {
        return new Alert(AlertKind.RUN_FAILED, "geofa-sync: run " + run.id() + " (" + run.kind() + ") failed", List.of(
                "Run " + run.id() + " (" + run.kind() + ") ended as failed:",
                run.message(),
                "",
                "What it had not done waits and is tried again; `geofa-sync status` or the status page shows where things stand."));
    }

    /** The digest of the letters in {@code facts}. */
    public static Alert digest(AlertFacts facts) {
        List<String> lines = new ArrayList<>();
        lines.add(facts.newLetterCount() + (facts.newLetterCount() == 1 ? " new dead letter" : " new dead letters")
                + ": changes GeoFA refused or geofa-sync could not send. Everything else went on.");
        lines.add("");
        facts.newLetters().stream().limit(LETTERS_LISTED).forEach(l -> lines.add("#" + l.id() + "  " + l.table() + "  key " + l.key()
                + l.column().map(c -> "  column " + c).orElse("") + ": " + l.reason()));
        long unlisted = facts.newLetterCount() - Math.min(LETTERS_LISTED, facts.newLetters().size());
        if (unlisted > 0) {
            lines.add("... and " + unlisted + " more (geofa-sync dead-letters list)");
        }
        lines.add("");
        lines.add("Fix the row in VK (that supersedes its letter), or: geofa-sync dead-letters show|retry|discard ID");
        return new Alert(AlertKind.DEAD_LETTERS, "geofa-sync: " + facts.newLetterCount() + " new dead letter" + (facts.newLetterCount() == 1 ? "" : "s"),
                lines);
    }

    private static String minutes(Duration d) {
        return d.toHours() >= 2 ? d.toHours() + " h" : d.toMinutes() + " min";
    }
}
