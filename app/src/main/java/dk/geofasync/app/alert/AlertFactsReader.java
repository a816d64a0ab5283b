package dk.geofasync.app.alert;

import static dk.geofasync.db.jooq.Tables.DEAD_LETTER;
import static dk.geofasync.db.jooq.Tables.RUN;

import dk.geofasync.app.status.SyncStatus;
import dk.geofasync.db.SyncSchema;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Reads the alerts' facts from VK's sync schema and the service's status. */
public final class AlertFactsReader {

    private final DSLContext dsl;

    public AlertFactsReader(DataSource vk) {
        this.dsl = SyncSchema.dsl(vk);
    }

    /**
     * @param afterLetter the newest letter already told of: only open letters after it are news
     * @param geofaLoginRefused GeoFA's refusal of the login, while it lasts
     */
    public AlertFacts read(long afterLetter, SyncStatus status, Optional<String> geofaLoginRefused) {
        return read(afterLetter, status.oldestUnhandled(), status.retentionWarning(), geofaLoginRefused);
    }

    /** {@link #read(long, SyncStatus, Optional)} without the service's status (a {@code once} run). */
    public AlertFacts read(long afterLetter, Optional<java.time.Duration> oldestUnhandled, Optional<String> retentionWarning,
                           Optional<String> geofaLoginRefused) {
        Optional<AlertFacts.FailedRun> failed = dsl.select(RUN.ID, RUN.KIND, RUN.MESSAGE).from(RUN).where(RUN.OUTCOME.eq("failed"))
                .orderBy(RUN.ID.desc()).limit(1)
                .fetchOptional(r -> new AlertFacts.FailedRun(r.value1(), r.value2(), Optional.ofNullable(r.value3()).orElse("(no message)")));
        // the newest first, and the rest up to it: a letter filed meanwhile is news at the next look, not counted as told
        long newest = Optional.ofNullable(dsl.select(DSL.max(DEAD_LETTER.ID)).from(DEAD_LETTER).fetchOne(0, Long.class)).orElse(0L);
        List<AlertFacts.Letter> letters = dsl.select(DEAD_LETTER.ID, DEAD_LETTER.SOURCE_TABLE, DEAD_LETTER.ROW_KEY, DEAD_LETTER.COLUMN_NAME, DEAD_LETTER.REASON)
                .from(DEAD_LETTER).where(DEAD_LETTER.ID.gt(afterLetter), DEAD_LETTER.ID.le(newest), DEAD_LETTER.STATUS.eq("open")).orderBy(DEAD_LETTER.ID)
                .limit(AlertPlanner.LETTERS_LISTED)
                .fetch(r -> new AlertFacts.Letter(r.value1(), r.value2(), r.value3(), Optional.ofNullable(r.value4()), r.value5()));
        long count = dsl.fetchCount(DEAD_LETTER, DEAD_LETTER.ID.gt(afterLetter).and(DEAD_LETTER.ID.le(newest)).and(DEAD_LETTER.STATUS.eq("open")));
        return new AlertFacts(failed, letters, count, newest, oldestUnhandled, retentionWarning, geofaLoginRefused);
    }
}
