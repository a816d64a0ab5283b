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

    /**
     * The alerts to send now, in order, each with what is told once it and those before it went (so
     * a mail that cannot go is tried again without repeating those that went), and what is told
     * once all went.
     */
    public record Decision(List<Step> steps, AlertWatch next) {
        public Decision {
            steps = List.copyOf(steps);
        }

        public List<Alert> alerts() {
            return steps.stream().map(Step::alert).toList();
        }
    }

    /** One alert, and what is told once it went. */
    public record Step(Alert alert, AlertWatch told) {
    }

    public static Decision decide(AlertWatch watch, AlertFacts facts, Instant now, AlertWatch.Rules rules) {
        List<Step> steps = new ArrayList<>();
        AlertWatch told = watch;
        if (facts.lastFailedRun().isPresent() && facts.lastFailedRun().get().id() > watch.seenFailedRun()) {
            told = new AlertWatch(facts.lastFailedRun().get().id(), told.seenLetter(), told.lastDigest(), told.lagReported(), told.retentionReported(),
                    told.loginReported());
            steps.add(new Step(runFailed(facts.lastFailedRun().get()), told));
        }
        boolean digestDue = !Duration.between(watch.lastDigest(), now).minus(rules.digestEvery()).isNegative();
        if (facts.newLetterCount() > 0 && digestDue) {
            told = new AlertWatch(told.seenFailedRun(), facts.newestLetter(), now, told.lagReported(), told.retentionReported(), told.loginReported());
            steps.add(new Step(digest(facts), told));
        }
        boolean lagging = facts.oldestUnhandled().map(age -> age.compareTo(rules.lagThreshold()) >= 0).orElse(false);
        if (lagging && !watch.lagReported()) {
            told = new AlertWatch(told.seenFailedRun(), told.seenLetter(), told.lastDigest(), true, told.retentionReported(), told.loginReported());
            steps.add(new Step(new Alert(AlertKind.LAG, "geofa-sync: changes wait longer than " + minutes(rules.lagThreshold()), List.of(
                    "The oldest change not yet handled is " + minutes(facts.oldestUnhandled().orElseThrow()) + " old (the threshold is "
                            + minutes(rules.lagThreshold()) + ").",
                    "GeoFA, Kafka or the service may be out of reach, or the backlog is large; the status page says which.")), told));
        }
        boolean retention = facts.retentionWarning().isPresent();
        if (retention && !watch.retentionReported()) {
            told = new AlertWatch(told.seenFailedRun(), told.seenLetter(), told.lastDigest(), told.lagReported(), true, told.loginReported());
            steps.add(new Step(new Alert(AlertKind.RETENTION, "geofa-sync: Kafka may drop changes the applier has not read", List.of(
                    facts.retentionWarning().get(),
                    "",
                    "Nothing is lost from VK: `geofa-sync replay --from-outbox` sends again what the topic dropped.")), told));
        }
        boolean login = facts.geofaLoginRefused().isPresent();
        if (login && !watch.loginReported()) {
            told = new AlertWatch(told.seenFailedRun(), told.seenLetter(), told.lastDigest(), told.lagReported(), told.retentionReported(), true);
            steps.add(new Step(new Alert(AlertKind.GEOFA_LOGIN_REFUSED, "geofa-sync: GeoFA refuses the login", List.of(
                    facts.geofaLoginRefused().get(),
                    "",
                    "Nothing reaches GeoFA until the password or the user is fixed (GEOFA_SYNC_GEOFA_PASSWORD_FILE); changes wait in VK.")), told));
        }
        // standing conditions that cleared are reported again when they come back
        return new Decision(steps, new AlertWatch(told.seenFailedRun(), told.seenLetter(), told.lastDigest(), lagging, retention, login));
    }

    /** The mail of a failed run. */
    public static Alert runFailed(AlertFacts.FailedRun run) {
        return new Alert(AlertKind.RUN_FAILED, "geofa-sync: run " + run.id() + " (" + run.kind() + ") failed", List.of(
                "Run " + run.id() + " (" + run.kind() + ") ended as failed:",
                Redaction.withoutValues(run.message()), // an exception's text may quote a value
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
                + l.column().map(c -> "  column " + c).orElse("") + ": " + Redaction.withoutValues(l.reason()))); // GeoFA's words may quote the value
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
