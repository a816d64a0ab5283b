package dk.geofasync.applier.run;

/** What started a run ({@code sync.run.kind}). */
public enum RunKind {
    /** An hour of the service ({@code geofa-sync run}). */
    SERVICE("service"),
    /** A cron run ({@code geofa-sync once}). */
    ONCE("once");

    private final String code;

    RunKind(String code) {
        this.code = code;
    }

    /** The value in {@code sync.run.kind}. */
    public String code() {
        return code;
    }
}
