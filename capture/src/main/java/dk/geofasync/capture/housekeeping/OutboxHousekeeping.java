package dk.geofasync.capture.housekeeping;

import static dk.geofasync.db.jooq.Tables.OUTBOX;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Removes published outbox rows once they are older than the retention, in small batches (each its
 * own transaction), so the outbox does not bloat and no long lock or huge WAL burst hits VK.
 * Unpublished rows are never removed.
 */
public final class OutboxHousekeeping {

    private final DSLContext dsl;
    private final Clock clock;

    public OutboxHousekeeping(DataSource dataSource, Clock clock) {
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
        this.clock = clock;
    }

    /** Deletes rows published before now minus {@code retention}; returns how many. */
    public long purgePublished(Duration retention, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("outbox purge batch size must be at least 1, got " + batchSize);
        }
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(retention);
        long total = 0;
        int deleted;
        do {
            deleted = dsl.deleteFrom(OUTBOX)
                    .where(OUTBOX.ID.in(DSL.select(OUTBOX.ID).from(OUTBOX)
                            .where(OUTBOX.PUBLISHED_AT.lt(cutoff))
                            .orderBy(OUTBOX.PUBLISHED_AT)
                            .limit(batchSize)))
                    .execute();
            total += deleted;
        } while (deleted == batchSize);
        return total;
    }
}
