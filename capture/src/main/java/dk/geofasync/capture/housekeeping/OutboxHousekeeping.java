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
 * Removes outbox rows that were published and then handled by the applier (its inbox holds the
 * event in a final state, or the relay filed the row as a dead letter), once older than the
 * retention, in small batches (each its own transaction), so the outbox does not bloat and no long
 * lock or huge WAL burst hits VK. Unpublished rows, and published rows the applier has not handled
 * yet, are never removed: if Kafka's retention drops an event the applier did not read in time,
 * the outbox still has it.
 */
public final class OutboxHousekeeping {

    private final DSLContext dsl;
    private final Clock clock;

    public OutboxHousekeeping(DataSource dataSource, Clock clock) {
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
        this.clock = clock;
    }

    /** The applier (or the relay, filing a dead letter) has finished the row's event; event ids are {@code <source id>:<outbox id>}. */
    private static final String HANDLED = """
            exists (select 1 from sync.inbox i where i.event_id = (select s.id::text from sync.source s) || ':' || {0}
                       and i.state in ('applied', 'skipped', 'dead_lettered'))
            or exists (select 1 from sync.dead_letter d where d.event_id = (select s.id::text from sync.source s) || ':' || {0})""";

    /** The same condition as SQL text for queries of their own, {@code outboxId} naming the outbox row's id (e.g. {@code o.id}). */
    public static String handledSql(String outboxId) {
        return HANDLED.replace("{0}", outboxId);
    }

    /** Deletes rows published before now minus {@code retention} and handled since; returns how many. */
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
                            .where(OUTBOX.PUBLISHED_AT.lt(cutoff), DSL.condition(HANDLED, OUTBOX.ID))
                            .orderBy(OUTBOX.PUBLISHED_AT)
                            .limit(batchSize)))
                    .execute();
            total += deleted;
        } while (deleted == batchSize);
        return total;
    }
}
