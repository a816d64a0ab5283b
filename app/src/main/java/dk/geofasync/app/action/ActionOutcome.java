package dk.geofasync.app.action;

/** What came of an action, in words for the person who asked (counts and ids, never object values). */
public record ActionOutcome(Result result, String detail) {

    /** How it went, as {@code sync.action.outcome} records it. */
    public enum Result {
        /** Done (or started, for a reconcile). */
        DONE,
        /** Not done because it made no sense now: no such letter, a reconcile already running. */
        REFUSED,
        /** Not done because VK or the service could not do it. */
        FAILED
    }

    public static ActionOutcome done(String detail) {
        return new ActionOutcome(Result.DONE, detail);
    }

    public static ActionOutcome refused(String detail) {
        return new ActionOutcome(Result.REFUSED, detail);
    }

    public static ActionOutcome failed(String detail) {
        return new ActionOutcome(Result.FAILED, detail);
    }
}
