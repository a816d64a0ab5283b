package dk.geofasync.applier.run;

import java.util.Optional;

/**
 * The {@code sync.run} the applier is working for right now, if any: set and cleared by whoever starts
 * and ends runs, read (from any thread) when the applier records change-log and inbox rows under it.
 */
public final class CurrentRun {

    private volatile Long id;

    /** The run being worked for; empty when no run is open. */
    public Optional<Long> id() {
        return Optional.ofNullable(id);
    }

    /** From now on, work is recorded under run {@code runId}. */
    public void set(long runId) {
        this.id = runId;
    }

    /** From now on, work is recorded under no run. */
    public void clear() {
        this.id = null;
    }
}
