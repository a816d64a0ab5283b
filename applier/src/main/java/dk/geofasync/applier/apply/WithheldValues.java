package dk.geofasync.applier.apply;

import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Puts back the values the relay kept off the topic (the mapping's {@code sensitive} columns:
 * personal data leaves VK only into GeoFA): from the event's own row in VK's outbox, which stays
 * until the event is handled. An event delivered again after that (a replay from Kafka, a dead
 * letter sent again) gets the VK row's current values, which is the state such an event is applied
 * as anyway; a row deleted since gets none (its delete follows).
 */
public final class WithheldValues {

    private final DataSource vk;
    private final Mapping mapping;

    public WithheldValues(DataSource vk, Mapping mapping) {
        this.vk = vk;
        this.mapping = mapping;
    }

    /** The events, those with withheld values whole again (in one query for all, and one per table for rows no longer in the outbox). */
    public List<ChangeApplier.Incoming> restore(List<ChangeApplier.Incoming> events) {
        List<ChangeApplier.Incoming> withheld = events.stream().filter(in -> !in.event().withheld().isEmpty()).toList();
        if (withheld.isEmpty()) {
            return events;
        }
        try (Connection c = vk.getConnection()) {
            Map<Long, Images> fromOutbox = fromOutbox(c, withheld);
            Map<String, Map<String, Map<String, String>>> current = currentRows(c, withheld.stream()
                    .filter(in -> !fromOutbox.containsKey(in.event().outboxId())).toList());
            List<ChangeApplier.Incoming> restored = new ArrayList<>(events.size());
            for (ChangeApplier.Incoming in : events) {
                ChangeEvent e = in.event();
                if (e.withheld().isEmpty()) {
                    restored.add(in);
                    continue;
                }
                Images images = Optional.ofNullable(fromOutbox.get(e.outboxId())).orElseGet(() -> new Images(Map.of(),
                        current.getOrDefault(e.sourceTable(), Map.of()).getOrDefault(e.rowKey(), Map.of())));
                restored.add(new ChangeApplier.Incoming(e.restored(fill(e.oldValues(), e.withheld(), images.old()),
                        fill(e.newValues(), e.withheld(), images.now())), in.payload(), in.origin(), in.replayedSince()));
            }
            return restored;
        } catch (SQLException e) {
            // VK failing: the poll is set back and comes again; the message names no value
            throw new IllegalStateException("cannot read the withheld values of " + withheld.size() + " events from VK: " + e.getMessage(), e);
        }
    }

    /** An event's withheld values: before and after. */
    private record Images(Map<String, String> old, Map<String, String> now) {
    }

    private static Map<Long, Images> fromOutbox(Connection c, List<ChangeApplier.Incoming> events) throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        events.forEach(in -> columns.addAll(in.event().withheld()));
        Map<Long, Images> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select o.id, k, o.old_values -> k, o.new_values -> k from sync.outbox o, unnest(?::text[]) as k where o.id = any(?::bigint[])""")) {
            ps.setArray(1, c.createArrayOf("text", columns.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", events.stream().map(in -> in.event().outboxId()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Images images = found.computeIfAbsent(rs.getLong(1), id -> new Images(new HashMap<>(), new HashMap<>()));
                    images.old().put(rs.getString(2), rs.getString(3));
                    images.now().put(rs.getString(2), rs.getString(4));
                }
            }
        }
        return found;
    }

    /** Per VK table and row key, the withheld columns' current values, for events whose outbox row is gone. */
    private Map<String, Map<String, Map<String, String>>> currentRows(Connection c, List<ChangeApplier.Incoming> events) throws SQLException {
        Map<String, Map<String, Map<String, String>>> rows = new HashMap<>();
        Map<String, List<ChangeEvent>> byTable = new LinkedHashMap<>();
        events.forEach(in -> byTable.computeIfAbsent(in.event().sourceTable(), t -> new ArrayList<>()).add(in.event()));
        for (Map.Entry<String, List<ChangeEvent>> t : byTable.entrySet()) {
            Optional<TableMapping> table = mapping.table(t.getKey());
            if (table.isEmpty()) {
                continue; // not mapped: the applier files it as a dead letter without its values
            }
            Set<String> columns = new LinkedHashSet<>();
            t.getValue().forEach(e -> columns.addAll(e.withheld()));
            // names from the mapping, whose columns are validated; quoted all the same, as they go into SQL text
            List<String> mapped = columns.stream().filter(col -> SqlIdentifier.isValid(col)
                    && table.get().columns().stream().anyMatch(m -> m.vkColumn().equals(col))).toList();
            if (mapped.isEmpty()) {
                continue;
            }
            StringBuilder sql = new StringBuilder("select ").append(SqlIdentifier.quote(table.get().keyColumn())).append("::text");
            mapped.forEach(col -> sql.append(", ").append(SqlIdentifier.quote(col)).append("::text"));
            sql.append(" from ").append(table.get().table().quoted()).append(" where ").append(SqlIdentifier.quote(table.get().keyColumn()))
                    .append("::text = any(?::text[])");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                ps.setArray(1, c.createArrayOf("text", t.getValue().stream().map(ChangeEvent::rowKey).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> values = new HashMap<>();
                        for (int i = 0; i < mapped.size(); i++) {
                            values.put(mapped.get(i), rs.getString(i + 2));
                        }
                        rows.computeIfAbsent(t.getKey(), k -> new HashMap<>()).put(rs.getString(1), values);
                    }
                }
            }
        }
        return rows;
    }

    /** {@code values} with the withheld columns it holds set from {@code found} (null where VK has none). */
    private static ColumnValues fill(ColumnValues values, Set<String> withheld, Map<String, String> found) {
        if (withheld.stream().noneMatch(values::has)) {
            return values;
        }
        Map<String, String> whole = new LinkedHashMap<>(values.asMap());
        withheld.stream().filter(values::has).forEach(col -> whole.put(col, found.get(col)));
        return ColumnValues.of(whole);
    }
}
