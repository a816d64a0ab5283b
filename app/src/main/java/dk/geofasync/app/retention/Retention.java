package dk.geofasync.app.retention;

import static dk.geofasync.db.jooq.Tables.ACTION;
import static dk.geofasync.db.jooq.Tables.CHANGE_LOG;
import static dk.geofasync.db.jooq.Tables.DEAD_LETTER;
import static dk.geofasync.db.jooq.Tables.INBOX;
import static dk.geofasync.db.jooq.Tables.RUN;

import dk.geofasync.capture.housekeeping.OutboxHousekeeping;
import dk.geofasync.db.SyncSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * GDPR retention of what the sync keeps about changes: the change log (from what to what), finished
 * runs, finished inbox entries and closed dead letters (they hold the event with its values) are
 * deleted when older than the retention age, and runs beyond the last {@code keepRuns} too.
 * Outbox rows go a day after they were published and the applier handled them. Open dead letters and what is still in progress are never purged.
 */
public final class Retention {

    /** How long, and how many runs, to keep. */
    public record Policy(Duration maxAge, int keepRuns) {
        public static final Policy DEFAULT = new Policy(Duration.ofDays(30), 1_000);

        public Policy {
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("retention age must be positive, got " + maxAge);
            }
            if (keepRuns < 1) {
                throw new IllegalArgumentException("retention must keep at least 1 run, got " + keepRuns);
            }
        }
    }

    /** What a purge deleted, per table. */
    public record Purged(int changeLog, int runs, int inbox, int deadLetters, long outbox, int actions) {
        public long total() {
            return changeLog + runs + inbox + deadLetters + outbox;
        }
    }

    /**
     * Outbox rows the applier handled are only a transit copy: one day is kept for DBAs to look at.
     * Rows it has not handled stay, however old, so an event Kafka's retention dropped is still in VK.
     */
    static final Duration OUTBOX_KEEP = Duration.ofDays(1);

    private final DataSource dataSource;
    private final DSLContext dsl;

    public Retention(DataSource vk) {
        this.dataSource = vk;
        this.dsl = SyncSchema.dsl(vk);
    }

    /** Deletes what is older than the policy's age at {@code now}, and the runs beyond the last {@code keepRuns}; one transaction. */
    public Purged purge(Policy policy, OffsetDateTime now) {
        OffsetDateTime cutoff = now.minus(policy.maxAge());
        // the outbox in small batches of their own: it is on the staff's write path
        long outbox = new OutboxHousekeeping(dataSource, Clock.fixed(now.toInstant(), now.getOffset())).purgePublished(OUTBOX_KEEP, 5_000);
        Purged purged = dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            int changes = t.deleteFrom(CHANGE_LOG).where(CHANGE_LOG.APPLIED_AT.lt(cutoff)).execute();
            int inbox = t.deleteFrom(INBOX).where(INBOX.HANDLED_AT.lt(cutoff), INBOX.STATE.in("applied", "skipped", "dead_lettered")).execute();
            int letters = t.deleteFrom(DEAD_LETTER).where(DEAD_LETTER.STATUS.ne("open"), DEAD_LETTER.RESOLVED_AT.lt(cutoff)).execute();
            int runs = t.deleteFrom(RUN).where(RUN.OUTCOME.ne("running"), RUN.FINISHED_AT.lt(cutoff)
                    .or(RUN.ID.notIn(DSL.select(RUN.ID).from(RUN).orderBy(RUN.ID.desc()).limit(policy.keepRuns())))).execute();
            // a reconcile's tables and differences go with it (on delete cascade); the latest of each table stays for the status
            runs += t.execute("delete from sync.reconcile_run r where r.outcome <> 'running' and r.finished_at < cast(? as timestamptz)"
                    + " and r.id not in (select run_id from sync.reconcile_latest)", cutoff);
            // staff's names and addresses in the action log go with the rest of the personal data's retention
            int actions = t.deleteFrom(ACTION).where(ACTION.AT.lt(cutoff)).execute();
            return new Purged(changes, runs, inbox, letters, 0, actions);
        });
        return new Purged(purged.changeLog(), purged.runs(), purged.inbox(), purged.deadLetters(), outbox, purged.actions());
    }
}
