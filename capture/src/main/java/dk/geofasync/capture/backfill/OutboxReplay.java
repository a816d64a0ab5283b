package dk.geofasync.capture.backfill;

import dk.geofasync.capture.housekeeping.OutboxHousekeeping;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code geofa-sync replay --from-outbox}: what was published to Kafka but never handled by the
 * applier (Kafka's retention dropped it while the applier was stopped) is sent again from VK. Not
 * the lost events themselves: the applier may have applied newer events of the same objects since,
 * and an old event would take GeoFA back. Each such object's current state is enqueued instead
 * (an insert event, applied as state: only differing columns are sent; a delete when the row is
 * gone), and the lost events are closed in the inbox as replaced by it.
 */
public final class OutboxReplay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxReplay.class);

    /** What a replay did: objects enqueued again, lost events they replace, and tables no longer mapped. */
    public record Replayed(int objects, int events, List<String> unmapped) {
    }

    private record Lost(String table, String key, Long[] outboxIds, Optional<String> objektId) {
    }

    private final DataSource dataSource;

    public OutboxReplay(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Best with the applier stopped, or caught up: an applier that is merely behind has unhandled
     * events too, and their objects are then enqueued again (harmless, applied as state, but not needed).
     *
     * @param olderThan only events published at least this long ago (younger ones may still be on their way to the applier)
     */
    public Replayed replayUnhandled(Mapping mapping, Duration olderThan) {
        List<Lost> lost = lost(olderThan);
        Backfill enqueue = new Backfill(dataSource, 1);
        List<String> unmapped = new ArrayList<>();
        int events = 0;
        int objects = 0;
        for (Lost l : lost) {
            Optional<TableMapping> table = mapping.table(l.table());
            if (table.isEmpty()) {
                unmapped.add(l.table() + " " + l.key());
                continue;
            }
            long state = enqueue.enqueueRow(table.get(), l.key(), l.objektId());
            closeAsReplaced(l, state);
            objects++;
            events += l.outboxIds().length;
            LOG.info("{} {}: {} event(s) the applier never handled are replaced by its current state (outbox #{})", l.table(), l.key(),
                    l.outboxIds().length, state);
        }
        return new Replayed(objects, events, unmapped);
    }

    private List<Lost> lost(Duration olderThan) {
        List<Lost> lost = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select o.source_table, o.row_key, array_agg(o.id order by o.id),
                       (select l.objekt_id::text from sync.object_link l where l.source_table = o.source_table and l.row_key = o.row_key)
                  from sync.outbox o
                 where o.published_at < now() - make_interval(secs => ?) and not (%s)
                 group by o.source_table, o.row_key order by min(o.id)""".formatted(OutboxHousekeeping.handledSql("o.id")))) {
            ps.setDouble(1, olderThan.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lost.add(new Lost(rs.getString(1), rs.getString(2), (Long[]) rs.getArray(3).getArray(), Optional.ofNullable(rs.getString(4))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox's unhandled events: " + e.getMessage(), e);
        }
        return lost;
    }

    private void closeAsReplaced(Lost l, long state) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into sync.inbox (event_id, source_table, row_key, op, state, handled_at, last_error)
                select (select s.id::text from sync.source s) || ':' || o.id, o.source_table, o.row_key, o.op, 'skipped', now(), ?
                  from sync.outbox o where o.id = any(?)
                on conflict (event_id) do update set state = 'skipped', handled_at = now(), last_error = excluded.last_error
                 where inbox.state not in ('applied', 'skipped', 'dead_lettered')""")) {
            ps.setString(1, "replaced by the object's current state, outbox #" + state + " (replay --from-outbox)");
            ps.setArray(2, c.createArrayOf("bigint", l.outboxIds()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the replaced events of " + l.table() + " " + l.key() + ": " + e.getMessage(), e);
        }
    }
}
