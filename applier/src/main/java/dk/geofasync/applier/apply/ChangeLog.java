package dk.geofasync.applier.apply;

import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@code sync.change_log}: what was changed in GeoFA, per column, from what to what; sensitive values masked. */
final class ChangeLog {

    static final String MASK = "***";

    /** One changed column of one object. */
    record Entry(String eventId, String sourceTable, String rowKey, String theme, UUID objektId, String op, String column,
                 String oldValue, String newValue) {
    }

    private ChangeLog() {
    }

    /**
     * One entry per GeoFA column in {@code newValues} or {@code oldValues} (old values by GeoFA column,
     * where known) that holds a value on either side: a create logs the columns it filled, not the
     * dozens it left empty.
     */
    static List<Entry> entries(ChangeEvent e, TableMapping table, Optional<UUID> objektId, Map<String, Object> oldValues, Map<String, Object> newValues) {
        Set<String> columns = new LinkedHashSet<>(newValues.keySet());
        columns.addAll(oldValues.keySet());
        List<Entry> entries = new ArrayList<>(columns.size());
        for (String column : columns) {
            if (oldValues.get(column) == null && newValues.get(column) == null) {
                continue;
            }
            boolean sensitive = table.sensitiveColumns().contains(column);
            entries.add(new Entry(e.eventId(), e.sourceTable(), e.rowKey(), table.theme().name(), objektId.orElse(null), e.op().code(),
                    column, text(oldValues.get(column), sensitive), text(newValues.get(column), sensitive)));
        }
        return entries;
    }

    /**
     * Writes the entries in one statement (arrays, so any number of rows binds ten parameters), under
     * run {@code runId} (none: {@code run_id} stays null).
     */
    static void write(Connection c, List<Entry> entries, Optional<Long> runId) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into sync.change_log (event_id, source_table, row_key, theme, objekt_id, op, column_name, old_value, new_value, run_id)
                select *, ?::bigint from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::uuid[], ?::char(1)[], ?::varchar[], ?::text[], ?::text[])
                """)) {
            ps.setObject(1, runId.orElse(null), Types.BIGINT);
            ps.setArray(2, c.createArrayOf("varchar", entries.stream().map(Entry::eventId).toArray()));
            ps.setArray(3, c.createArrayOf("varchar", entries.stream().map(Entry::sourceTable).toArray()));
            ps.setArray(4, c.createArrayOf("varchar", entries.stream().map(Entry::rowKey).toArray()));
            ps.setArray(5, c.createArrayOf("varchar", entries.stream().map(Entry::theme).toArray()));
            ps.setArray(6, c.createArrayOf("varchar", entries.stream().map(en -> en.objektId() == null ? null : en.objektId().toString()).toArray()));
            ps.setArray(7, c.createArrayOf("varchar", entries.stream().map(Entry::op).toArray()));
            ps.setArray(8, c.createArrayOf("varchar", entries.stream().map(Entry::column).toArray()));
            ps.setArray(9, c.createArrayOf("text", entries.stream().map(Entry::oldValue).toArray()));
            ps.setArray(10, c.createArrayOf("text", entries.stream().map(Entry::newValue).toArray()));
            ps.executeUpdate();
        }
    }

    /** Whether the create of GeoFA object {@code objektId} for VK row {@code rowKey} is on record. */
    static boolean hasCreate(javax.sql.DataSource vk, String sourceTable, String rowKey, UUID objektId) {
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select exists (select 1 from sync.change_log where source_table = ? and row_key = ? and objekt_id = ? and op = 'I')")) {
            ps.setString(1, sourceTable);
            ps.setString(2, rowKey);
            ps.setObject(3, objektId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read sync.change_log: " + e.getMessage(), e);
        }
    }

    private static String text(Object value, boolean sensitive) {
        return value == null ? null : sensitive ? MASK : value.toString();
    }
}
