package dk.geofasync.app.status;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * What the sync did over the last hours, for the status page's charts: changes applied per table and
 * hour, the longest wait from VK's commit to GeoFA per hour, and the open dead letters by reason.
 *
 * @param until the end of the last hour (the time it was read)
 * @param hours how many hours each series covers, oldest first
 * @param lagPerHour per hour, the longest time from capture in VK to handled (empty: nothing handled,
 *     or its outbox rows are purged already)
 */
public record Activity(OffsetDateTime until, int hours, List<TableHours> tables, List<Optional<Duration>> lagPerHour, List<ReasonCount> deadLettersByReason) {

    public Activity {
        tables = List.copyOf(tables);
        lagPerHour = List.copyOf(lagPerHour);
        deadLettersByReason = List.copyOf(deadLettersByReason);
    }

    /** Changes applied to GeoFA per hour, oldest first, for one VK table. */
    public record TableHours(String table, List<Long> applied) {
        public TableHours {
            applied = List.copyOf(applied);
        }

        public long total() {
            return applied.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Open dead letters of one table, column and reason. */
    public record ReasonCount(String table, Optional<String> column, String reason, long count) {
    }
}
