package dk.geofasync.app.action;

import java.util.List;
import java.util.Optional;

/** What staff can ask of the running service over HTTP; each call answers what came of it and throws nothing for VK's failures. */
public interface ServiceActions {

    /** The relay looks at the outbox at once and the service starts a new run, so what follows is recorded in a run of its own. */
    ActionOutcome syncNow();

    /** Starts a reconcile with repair (orphans left to a person) now, whatever the schedule says. */
    ActionOutcome reconcileNow();

    /** Pauses the group's applier on every instance; the relay goes on filling Kafka. */
    ActionOutcome pauseApplier(String by, Optional<String> reason);

    ActionOutcome resumeApplier();

    /** Queues the objects' current VK state again: one letter, or every open one when {@code id} is empty. */
    ActionOutcome retryDeadLetters(Optional<Long> id);

    ActionOutcome discardDeadLetters(List<Long> ids);
}
