package dk.geofasync.app.alert;

/** What an alert mail is about; each kind may go to recipients of its own. */
public enum AlertKind {
    /** A run ended as failed (the service's window or a {@code once} from cron). */
    RUN_FAILED("run-failed"),
    /** New dead letters: one digest per interval, not a mail per letter. */
    DEAD_LETTERS("dead-letters"),
    /** The oldest change not yet handled is older than the lag threshold. */
    LAG("lag"),
    /** The applier's position nears the changes topic's retention: Kafka may drop what it has not read. */
    RETENTION("retention"),
    /** GeoFA refuses geofa-sync's login: nothing reaches GeoFA until a person fixes the password or the user. */
    GEOFA_LOGIN_REFUSED("geofa-login"),
    /** A reconcile finished: its report. */
    RECONCILE_REPORT("reconcile"),
    /** {@code geofa-sync mail-test}. */
    TEST("test");

    private final String setting;

    AlertKind(String setting) {
        this.setting = setting;
    }

    /** The kind's name in the settings ({@code --mail-to-KIND}). */
    public String setting() {
        return setting;
    }
}
