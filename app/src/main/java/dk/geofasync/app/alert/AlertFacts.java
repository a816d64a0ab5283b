package dk.geofasync.app.alert;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the alerts look at, read at one moment: the latest failed run, dead letters filed after a
 * given one, the backlog's age, Kafka's retention warning, and whether GeoFA refuses the login.
 *
 * @param newLetters the first of the letters filed after the one asked about, oldest first (at most a page)
 * @param newLetterCount how many were filed after it in all
 * @param newestLetter the id of the newest letter (0: none ever)
 */
public record AlertFacts(Optional<FailedRun> lastFailedRun, List<Letter> newLetters, long newLetterCount, long newestLetter,
                         Optional<Duration> oldestUnhandled, Optional<String> retentionWarning, Optional<String> geofaLoginRefused) {

    public AlertFacts {
        newLetters = List.copyOf(newLetters);
    }

    /** A run that ended as failed; {@code message} is geofa-sync's own, without object values. */
    public record FailedRun(long id, String kind, String message) {
    }

    /** A dead letter as a mail may name it: where, and why. */
    public record Letter(long id, String table, String key, Optional<String> column, String reason) {
    }
}
