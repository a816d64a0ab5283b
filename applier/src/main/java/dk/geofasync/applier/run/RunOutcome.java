package dk.geofasync.applier.run;

/** How a run ended ({@code sync.run.outcome}). */
public enum RunOutcome {
    /** Everything it took was applied. */
    SUCCEEDED("succeeded"),
    /** It ran to the end, and something went to dead letters. */
    PARTIAL("partial"),
    /** It could not complete (GeoFA or Kafka out of reach, its time ran out); what it did still counts. */
    FAILED("failed");

    private final String code;

    RunOutcome(String code) {
        this.code = code;
    }

    /** The value in {@code sync.run.outcome}. */
    public String code() {
        return code;
    }
}
