package dk.geofasync.applier.apply;

import dk.geofasync.core.event.Operation;

/**
 * Decides what becomes of one change event, from what VK's bookkeeping knows about it and its
 * object: a pure function, so each rule is tested without a database or GeoFA. The applier gathers
 * the {@link Facts}, the planner decides, the request builder ({@code ChangeApplier#flush}) packs
 * the batched decisions into GeoFA requests and {@link GeofaWriter} speaks GeoFA's protocol.
 */
final class ApplyPlanner {

    /** What becomes of an event. */
    enum Decision {
        /** Handled before (the inbox knows it), or a second copy of an event in the same poll. */
        DROP_DUPLICATE,
        /** A replayed event followed by a later replayed event of its object: only the last one's state matters. */
        SKIP_SUPERSEDED_REPLAY,
        /** A new object: collected with other new objects into one create statement per table. */
        CREATE_IN_BATCH,
        /**
         * A plain update of a linked object, or of an object made before geofa-sync that the row names (linked first):
         * collected with updates of the same columns into one statement.
         */
        UPDATE_IN_BATCH,
        /**
         * The whole state of a linked object, or of one made before geofa-sync that the row names (linked first), that GeoFA
         * may hold already (taken before a crash, replayed, an insert event of an object GeoFA has): collected with other such
         * objects of every table, compared with GeoFA in one read, and only what differs sent, in one request. One by one,
         * thousands of them after a crash took an hour of the budget.
         */
        STATE_IN_BATCH,
        /** Applied on its own: a delete, a create GeoFA may already hold, or state behind a dead letter or on its last try. */
        APPLY_ALONE
    }

    /**
     * What is known of an event when it is decided.
     *
     * @param handledBefore the inbox holds it as finished
     * @param copyInPoll an earlier copy of it came in the same poll (not a replay)
     * @param replayed delivered again on purpose ({@code geofa-sync replay})
     * @param supersededReplay replayed, and a later replayed event of its object is in the batch
     * @param retried taken before but never finished (a crash, GeoFA away): it may have reached GeoFA
     * @param lastTry GeoFA failed on its statement without saying why in earlier rounds: it goes alone
     * @param behindLetter an earlier event of its object is in dead letters: its after-image is the state to apply
     * @param namesObjektId its after-image names an objekt_id (an object made before geofa-sync)
     * @param changesMappedColumns an update of at least one column GeoFA gets
     */
    record Facts(Operation op, boolean handledBefore, boolean copyInPoll, boolean replayed, boolean supersededReplay, boolean retried,
                 boolean lastTry, boolean behindLetter, LinkState link, boolean namesObjektId, boolean changesMappedColumns) {
    }

    private ApplyPlanner() {
    }

    static Decision decide(Facts f) {
        // a copy in the same poll may come after newer events of its object: applying it, even as state, would take GeoFA back
        if (f.copyInPoll() && !f.replayed() || f.handledBefore()) {
            return Decision.DROP_DUPLICATE;
        }
        if (f.supersededReplay()) {
            return Decision.SKIP_SUPERSEDED_REPLAY;
        }
        boolean fresh = f.op() != Operation.DELETE && f.link() == LinkState.NONE;
        // an insert whose create was sent but not answered: one look-up for the whole batch finds what GeoFA made
        boolean resumed = f.op() == Operation.INSERT && f.link() == LinkState.CREATE_PENDING;
        if ((fresh || resumed) && !f.behindLetter() && !f.lastTry() && !f.namesObjektId()) {
            return Decision.CREATE_IN_BATCH;
        }
        // a row naming an object made before geofa-sync is linked to it on the way (no request), then updated like any other
        boolean linked = f.link() == LinkState.LINKED || f.link() == LinkState.NONE && f.namesObjektId();
        if (!asState(f) && f.op() == Operation.UPDATE && linked && f.changesMappedColumns()) {
            return Decision.UPDATE_IN_BATCH;
        }
        // behind a letter the outcome supersedes letters, and a last try must stand alone: both stay on their own
        boolean state = asState(f) || f.op() == Operation.INSERT;
        if (state && f.op() != Operation.DELETE && linked && !f.behindLetter() && !f.lastTry()) {
            return Decision.STATE_IN_BATCH;
        }
        return Decision.APPLY_ALONE;
    }

    /**
     * Whether an event applied alone goes as its object's whole state, compared with GeoFA first,
     * rather than as a delta: when it may have reached GeoFA before, or an earlier event of its
     * object failed (its after-image holds what that one would have done).
     */
    static boolean asState(Facts f) {
        return f.behindLetter() || f.lastTry() || f.replayed() || f.retried();
    }
}
