package dk.geofasync.transport.relay;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What a relay has done since it started: events, batches, failures, and when it last published. */
public final class RelayStats {

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong standbyChecks = new AtomicLong();
    private final AtomicReference<Instant> lastPublished = new AtomicReference<>();

    void published(int count) {
        events.addAndGet(count);
        batches.incrementAndGet();
        lastPublished.set(Instant.now());
    }

    void failed() {
        failures.incrementAndGet();
    }

    void standby() {
        standbyChecks.incrementAndGet();
    }

    public long events() {
        return events.get();
    }

    public long batches() {
        return batches.get();
    }

    public long failures() {
        return failures.get();
    }

    /** How often the relay found another relay holding the lease. */
    public long standbyChecks() {
        return standbyChecks.get();
    }

    public Optional<Instant> lastPublished() {
        return Optional.ofNullable(lastPublished.get());
    }
}
