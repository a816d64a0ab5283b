package dk.geofasync.app.service;

import dk.geofasync.app.action.ActionOutcome;
import dk.geofasync.app.action.DeadLetterActions;
import dk.geofasync.app.action.ServiceActions;
import dk.geofasync.applier.pause.ApplierPause;
import dk.geofasync.core.mapping.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** The running service's answers to staff's actions (see {@link dk.geofasync.app.http.ActionsController}). */
final class StaffActions implements ServiceActions {

    private final SyncService service;
    private final Mapping mapping;
    private final ApplierPause pause;
    private final DeadLetterActions letters;

    StaffActions(SyncService service, DataSource vk, Mapping mapping, ApplierPause pause) {
        this.service = service;
        this.mapping = mapping;
        this.pause = pause;
        this.letters = new DeadLetterActions(vk);
    }

    @Override
    public ActionOutcome syncNow() {
        return service.syncNow();
    }

    @Override
    public ActionOutcome reconcileNow() {
        return service.reconcileNow();
    }

    @Override
    public ActionOutcome pauseApplier(String by, Optional<String> reason) {
        pause.pause(by, reason);
        return ActionOutcome.done("every instance stops sending to GeoFA within " + ApplierPause.LOOK_EVERY.toSeconds()
                + " s (a request already sent ends first); the relay goes on filling Kafka");
    }

    @Override
    public ActionOutcome resumeApplier() {
        return pause.resume() ? ActionOutcome.done("the applier goes on within " + ApplierPause.LOOK_EVERY.toSeconds() + " s")
                : ActionOutcome.refused("the applier was not paused");
    }

    @Override
    public ActionOutcome retryDeadLetters(Optional<Long> id) {
        List<DeadLetterActions.Retried> retried;
        try {
            retried = letters.retry(mapping, id);
        } catch (IllegalArgumentException e) {
            return ActionOutcome.refused(e.getMessage());
        }
        if (retried.isEmpty()) {
            return ActionOutcome.refused("no open dead letters");
        }
        int resolved = retried.stream().mapToInt(DeadLetterActions.Retried::resolved).sum();
        return ActionOutcome.done(retried.size() + " object(s) queued again with their current VK state (" + retried.stream().limit(20)
                .map(r -> r.table() + " " + r.key()).collect(Collectors.joining(", ")) + (retried.size() > 20 ? ", …" : "") + "); "
                + resolved + " letter(s) resolved");
    }

    @Override
    public ActionOutcome discardDeadLetters(List<Long> ids) {
        List<String> discarded = new ArrayList<>();
        List<String> not = new ArrayList<>();
        for (long id : ids) {
            switch (letters.discard(id)) {
                case DISCARDED -> discarded.add("#" + id);
                case NOT_OPEN -> not.add("#" + id + " is not open");
                case NONE -> not.add("there is no #" + id);
            }
        }
        String detail = (discarded.isEmpty() ? "none discarded" : "discarded " + String.join(" ", discarded)) + (not.isEmpty() ? "" : "; " + String.join(", ", not));
        return discarded.isEmpty() ? ActionOutcome.refused(detail) : ActionOutcome.done(detail);
    }
}
