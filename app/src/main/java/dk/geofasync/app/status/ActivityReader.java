package dk.geofasync.app.status;

import dk.geofasync.db.SyncSchema;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Reads the status page's {@link Activity} from sync.inbox, sync.outbox and sync.dead_letter. */
public final class ActivityReader {

    /** Three days: a weekend shows. */
    public static final int HOURS = 72;

    private final DSLContext dsl;

    public ActivityReader(DataSource vk) {
        this.dsl = SyncSchema.dsl(vk);
    }

    public Activity read() {
        OffsetDateTime now = OffsetDateTime.now();
        // hour index 0 = the oldest hour, HOURS - 1 = the one ending now
        Map<String, Long[]> perTable = new TreeMap<>();
        for (Record r : dsl.fetch("""
                select source_table, ? - 1 - floor(extract(epoch from (?::timestamptz - handled_at)) / 3600)::int as hour, count(*)
                from sync.inbox where state = 'applied' and handled_at > ?::timestamptz - make_interval(hours => ?) and handled_at <= ?::timestamptz
                group by 1, 2""", HOURS, now, now, HOURS, now)) {
            Long[] hours = perTable.computeIfAbsent(r.get(0, String.class), t -> zeros());
            hours[r.get(1, Integer.class)] = r.get(2, Long.class);
        }
        List<Activity.TableHours> tables = new ArrayList<>();
        perTable.forEach((t, h) -> tables.add(new Activity.TableHours(t, List.of(h))));

        List<Optional<Duration>> lag = new ArrayList<>(Collections.nCopies(HOURS, Optional.empty()));
        // event ids are <source id>:<outbox id>: the outbox row, while kept, says when VK committed the change
        for (Record r : dsl.fetch("""
                select ? - 1 - floor(extract(epoch from (?::timestamptz - i.handled_at)) / 3600)::int as hour,
                       max(extract(epoch from (i.handled_at - o.captured_at)))
                from sync.inbox i join sync.outbox o on o.id = (case when i.event_id ~ ':[0-9]{1,18}$' then substring(i.event_id from ':([0-9]+)$')::bigint end)
                where i.state = 'applied' and i.event_id like (select s.id::text from sync.source s) || ':%'
                  and i.handled_at > ?::timestamptz - make_interval(hours => ?) and i.handled_at <= ?::timestamptz
                group by 1""", HOURS, now, now, HOURS, now)) {
            double seconds = Math.max(0, r.get(1, Double.class));
            lag.set(r.get(0, Integer.class), Optional.of(Duration.ofMillis(Math.round(seconds * 1000))));
        }

        List<Activity.ReasonCount> reasons = dsl.fetch("""
                select source_table, column_name, reason, count(*) from sync.dead_letter where status = 'open'
                group by 1, 2, 3 order by 4 desc, 1, 2 limit 20""")
                .map(r -> new Activity.ReasonCount(r.get(0, String.class), Optional.ofNullable(r.get(1, String.class)), r.get(2, String.class),
                        r.get(3, Long.class)));
        return new Activity(now, HOURS, tables, lag, reasons);
    }

    private static Long[] zeros() {
        Long[] hours = new Long[HOURS];
        java.util.Arrays.fill(hours, 0L);
        return hours;
    }
}
