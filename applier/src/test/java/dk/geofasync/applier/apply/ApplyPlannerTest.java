package dk.geofasync.applier.apply;

import static dk.geofasync.applier.apply.ApplyPlanner.Decision.APPLY_ALONE;
import static dk.geofasync.applier.apply.ApplyPlanner.Decision.CREATE_IN_BATCH;
import static dk.geofasync.applier.apply.ApplyPlanner.Decision.DROP_DUPLICATE;
import static dk.geofasync.applier.apply.ApplyPlanner.Decision.SKIP_SUPERSEDED_REPLAY;
import static dk.geofasync.applier.apply.ApplyPlanner.Decision.STATE_IN_BATCH;
import static dk.geofasync.applier.apply.ApplyPlanner.Decision.UPDATE_IN_BATCH;
import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.applier.apply.ApplyPlanner.Facts;
import dk.geofasync.core.event.Operation;
import org.junit.jupiter.api.Test;

/** The planner's rules, one per test, without a database or GeoFA. */
class ApplyPlannerTest {

    /** A first delivery, nothing known against it. */
    private static Facts plain(Operation op, LinkState link) {
        return new Facts(op, false, false, false, false, false, false, false, link, false, true);
    }

    private static Facts with(Facts f, String flag) {
        return new Facts(f.op(), f.handledBefore() || flag.equals("handled"), f.copyInPoll() || flag.equals("copy"),
                f.replayed() || flag.equals("replayed"), f.supersededReplay() || flag.equals("superseded"), f.retried() || flag.equals("retried"),
                f.lastTry() || flag.equals("lastTry"), f.behindLetter() || flag.equals("letter"), f.link(),
                f.namesObjektId() || flag.equals("namesObjektId"), f.changesMappedColumns() && !flag.equals("noMappedChange"));
    }

    @Test
    void newObjectsAreCreatedInBatches() {
        assertThat(ApplyPlanner.decide(plain(Operation.INSERT, LinkState.NONE))).isEqualTo(CREATE_IN_BATCH);
        assertThat(ApplyPlanner.decide(plain(Operation.UPDATE, LinkState.NONE))).as("an update of a row that never reached GeoFA").isEqualTo(CREATE_IN_BATCH);
    }

    @Test
    void anInsertWhoseCreateWentUnansweredIsResolvedInTheBatch() {
        assertThat(ApplyPlanner.decide(plain(Operation.INSERT, LinkState.CREATE_PENDING))).isEqualTo(CREATE_IN_BATCH);
        assertThat(ApplyPlanner.decide(plain(Operation.UPDATE, LinkState.CREATE_PENDING))).isEqualTo(APPLY_ALONE);
    }

    @Test
    void plainUpdatesOfLinkedObjectsAreBatched() {
        assertThat(ApplyPlanner.decide(plain(Operation.UPDATE, LinkState.LINKED))).isEqualTo(UPDATE_IN_BATCH);
    }

    @Test
    void anUpdateThatMayHaveReachedGeofaGoesAsStateInABatch() {
        for (String flag : new String[] {"retried", "replayed"}) {
            Facts f = with(plain(Operation.UPDATE, LinkState.LINKED), flag);
            assertThat(ApplyPlanner.decide(f)).as(flag).isEqualTo(STATE_IN_BATCH);
            assertThat(ApplyPlanner.asState(f)).as(flag).isTrue();
        }
        assertThat(ApplyPlanner.decide(with(with(plain(Operation.UPDATE, LinkState.LINKED), "retried"), "noMappedChange"))).as("state, all columns")
                .isEqualTo(STATE_IN_BATCH);
        assertThat(ApplyPlanner.decide(plain(Operation.INSERT, LinkState.LINKED))).as("an insert of an object made before").isEqualTo(STATE_IN_BATCH);
        assertThat(ApplyPlanner.asState(plain(Operation.UPDATE, LinkState.LINKED))).isFalse();
    }

    @Test
    void deletesUnansweredCreatesAndDeletedObjectsNeverGoAsStateInABatch() {
        for (String flag : new String[] {"retried", "replayed"}) {
            assertThat(ApplyPlanner.decide(with(plain(Operation.DELETE, LinkState.LINKED), flag))).as("delete, " + flag).isEqualTo(APPLY_ALONE);
            assertThat(ApplyPlanner.decide(with(plain(Operation.UPDATE, LinkState.CREATE_PENDING), flag))).as("create unanswered, " + flag)
                    .isEqualTo(APPLY_ALONE);
            assertThat(ApplyPlanner.decide(with(plain(Operation.UPDATE, LinkState.DELETED), flag))).as("deleted, " + flag).isEqualTo(APPLY_ALONE);
        }
    }

    @Test
    void stateBehindADeadLetterOrOnItsLastTryGoesAlone() {
        for (String flag : new String[] {"letter", "lastTry"}) {
            Facts f = with(plain(Operation.UPDATE, LinkState.LINKED), flag);
            assertThat(ApplyPlanner.decide(f)).as(flag).isEqualTo(APPLY_ALONE);
            assertThat(ApplyPlanner.asState(f)).as(flag).isTrue();
        }
    }

    @Test
    void anUpdateOfOnlyVkOwnColumnsIsNotBatched() {
        assertThat(ApplyPlanner.decide(with(plain(Operation.UPDATE, LinkState.LINKED), "noMappedChange"))).isEqualTo(APPLY_ALONE);
    }

    @Test
    void deletesGoAlone() {
        assertThat(ApplyPlanner.decide(plain(Operation.DELETE, LinkState.LINKED))).isEqualTo(APPLY_ALONE);
        assertThat(ApplyPlanner.decide(plain(Operation.DELETE, LinkState.NONE))).isEqualTo(APPLY_ALONE);
    }

    @Test
    void aNewObjectBehindADeadLetterOrOnItsLastTryGoesAlone() {
        assertThat(ApplyPlanner.decide(with(plain(Operation.INSERT, LinkState.NONE), "letter"))).isEqualTo(APPLY_ALONE);
        assertThat(ApplyPlanner.decide(with(plain(Operation.INSERT, LinkState.NONE), "lastTry"))).isEqualTo(APPLY_ALONE);
    }

    @Test
    void aRowNamingAnObjektIdIsAdoptedNotCreated() {
        assertThat(ApplyPlanner.decide(with(plain(Operation.INSERT, LinkState.NONE), "namesObjektId"))).as("linked, then compared as state")
                .isEqualTo(STATE_IN_BATCH);
        assertThat(ApplyPlanner.decide(with(with(plain(Operation.UPDATE, LinkState.NONE), "namesObjektId"), "retried")))
                .as("taken before a crash: linked, then compared as state").isEqualTo(STATE_IN_BATCH);
        assertThat(ApplyPlanner.decide(with(plain(Operation.UPDATE, LinkState.NONE), "namesObjektId"))).as("linked, then batched")
                .isEqualTo(UPDATE_IN_BATCH);
    }

    @Test
    void handledEventsAndCopiesInOnePollAreDropped() {
        assertThat(ApplyPlanner.decide(with(plain(Operation.UPDATE, LinkState.LINKED), "handled"))).isEqualTo(DROP_DUPLICATE);
        assertThat(ApplyPlanner.decide(with(plain(Operation.UPDATE, LinkState.LINKED), "copy"))).isEqualTo(DROP_DUPLICATE);
    }

    @Test
    void aReplayedEventIsNotACopyButAnEarlierReplayOfItsObjectIsSkipped() {
        Facts replayed = with(with(plain(Operation.UPDATE, LinkState.LINKED), "copy"), "replayed");
        assertThat(ApplyPlanner.decide(replayed)).isEqualTo(STATE_IN_BATCH);
        assertThat(ApplyPlanner.decide(with(replayed, "superseded"))).isEqualTo(SKIP_SUPERSEDED_REPLAY);
    }
}
