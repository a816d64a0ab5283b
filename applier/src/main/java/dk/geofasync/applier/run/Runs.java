package dk.geofasync.applier.run;

import static dk.geofasync.db.jooq.Tables.RUN;

import dk.geofasync.applier.apply.Applied;
import dk.geofasync.db.SyncSchema;
import java.lang.management.ManagementFactory;
import java.time.OffsetDateTime;
import java.util.Map;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/** {@code sync.run}: one row per run, so staff can see whether a sync succeeded, and what it did. */
public final class Runs {

    private final DSLContext dsl;

    public Runs(DataSource dataSource) {
        this.dsl = SyncSchema.dsl(dataSource);
    }

    public long start(RunKind kind) {
        return dsl.insertInto(RUN).set(RUN.KIND, kind.code()).set(RUN.HOST, ManagementFactory.getRuntimeMXBean().getName())
                .returning(RUN.ID).fetchOne().getId();
    }

    /** Ends a run with its counts: succeeded, or partial when something went to dead letters. */
    public void finish(long id, Map<Applied, Integer> done) {
        int deadLettered = done.getOrDefault(Applied.DEAD_LETTERED, 0);
        end(id, done, deadLettered > 0 ? RunOutcome.PARTIAL : RunOutcome.SUCCEEDED,
                deadLettered > 0 ? deadLettered + " change(s) went to dead letters: geofa-sync dead-letters list" : null);
    }

    /**
     * Ends a run that could not complete, with the reason for staff and what it did before it stopped
     * (its changes in GeoFA are real: they count).
     */
    public void failed(long id, String message, Map<Applied, Integer> doneSoFar) {
        end(id, doneSoFar, RunOutcome.FAILED, message);
    }

    private void end(long id, Map<Applied, Integer> done, RunOutcome outcome, String message) {
        dsl.update(RUN)
                .set(RUN.FINISHED_AT, OffsetDateTime.now())
                .set(RUN.OUTCOME, outcome.code())
                .set(RUN.EVENTS_RECEIVED, done.values().stream().mapToInt(Integer::intValue).sum())
                .set(RUN.CREATED_COUNT, done.getOrDefault(Applied.CREATED, 0))
                .set(RUN.UPDATED_COUNT, done.getOrDefault(Applied.UPDATED, 0))
                .set(RUN.DELETED_COUNT, done.getOrDefault(Applied.DELETED, 0))
                .set(RUN.SKIPPED_COUNT, done.getOrDefault(Applied.SKIPPED, 0) + done.getOrDefault(Applied.DUPLICATE, 0))
                .set(RUN.DEAD_LETTER_COUNT, done.getOrDefault(Applied.DEAD_LETTERED, 0))
                .set(RUN.MESSAGE, message)
                .where(RUN.ID.eq(id)).execute();
    }
}
