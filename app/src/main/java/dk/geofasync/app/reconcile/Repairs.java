package dk.geofasync.app.reconcile;

import dk.geofasync.applier.writeback.WriteBack;
import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Queues the repairs of a table's findings as events in VK's outbox, in one VK transaction, so the
 * pipeline applies them like any change: in order per object, once, with creates looked up by
 * noegle. Objekt_ids it must change on a row (a closed one taken off, a found one written in) are
 * written with the write-back marker, so they cause no event of their own.
 */
final class Repairs {

    private final DataSource vk;

    Repairs(DataSource vk) {
        this.vk = vk;
    }

    /** Queues what can be repaired; returns the findings queued. {@code deleteOrphans}: orphans are deleted too. */
    List<Finding> queue(TableMapping table, List<Finding> findings, boolean deleteOrphans) {
        Set<String> state = new LinkedHashSet<>();
        Map<String, UUID> createAgain = new LinkedHashMap<>();
        Map<String, UUID> writeBack = new LinkedHashMap<>();
        Map<String, UUID> writeBackVersions = new LinkedHashMap<>();
        List<Map.Entry<String, UUID>> delete = new ArrayList<>();
        List<Finding> queued = new ArrayList<>();
        for (Finding f : findings) {
            switch (f.repair()) {
                case SEND_STATE -> state.add(f.key());
                case CREATE_AGAIN -> f.objektId().ifPresent(id -> createAgain.put(f.key(), id));
                case WRITE_BACK_ID -> f.objektId().ifPresent(id -> {
                    writeBack.put(f.key(), id);
                    f.versionsId().ifPresent(v -> writeBackVersions.put(f.key(), v));
                });
                case DELETE -> f.objektId().ifPresent(id -> delete.add(Map.entry(f.key(), id)));
                case DELETE_ORPHAN -> {
                    if (deleteOrphans) {
                        f.objektId().ifPresent(id -> delete.add(Map.entry(f.key(), id)));
                    }
                }
                case NONE, WRITE_NOEGLE -> { } // GeoFA's noegle: NoegleWriter
            }
            if (f.repair() != Finding.Repair.NONE && f.repair() != Finding.Repair.WRITE_NOEGLE
                    && (f.repair() != Finding.Repair.DELETE_ORPHAN || deleteOrphans)) {
                queued.add(f);
            }
        }
        if (queued.isEmpty()) {
            return queued;
        }
        try (Connection c = vk.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("set local datestyle = 'ISO, YMD'"); // as the capture trigger writes dates
                s.execute(WriteBack.MARKER);
            }
            String type = Backfill.columnType(c, table, table.objektIdColumn());
            setObjektIds(c, table, type, createAgain, false);
            forgetLinks(c, table, createAgain.keySet());
            Set<String> filled = setObjektIds(c, table, type, writeBack, true);
            // the link follows the id written, so the state event updates this object, not one an old link names
            writeBack.keySet().retainAll(filled);
            writeLinks(c, table, writeBack, writeBackVersions);
            state.addAll(createAgain.keySet());
            state.addAll(writeBack.keySet());
            Backfill.enqueueRows(c, table, state);
            Backfill.enqueueDeletes(c, table, delete);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot queue the repairs of " + table.table() + ": " + e.getMessage(), e);
        }
        return queued;
    }

    /**
     * {@code fill}: writes each objekt_id into its row where the row has none; otherwise takes the
     * given (closed) objekt_id off its row, only where the row still names it.
     */
    static Set<String> setObjektIds(Connection c, TableMapping table, String type, Map<String, UUID> ids, boolean fill) throws SQLException {
        Set<String> done = new LinkedHashSet<>();
        if (ids.isEmpty()) {
            return done;
        }
        String oid = SqlIdentifier.quote(table.objektIdColumn());
        String sql = "update " + table.table().quoted() + " r set " + oid + " = " + (fill ? "cast(u.o as " + type + ")" : "null")
                + " from unnest(?::text[], ?::text[]) as u(k, o) where r." + SqlIdentifier.quote(table.keyColumn()) + "::text = u.k and "
                + (fill ? "r." + oid + " is null" : "r." + oid + "::text = u.o") + " returning u.k";
        List<String> keys = List.copyOf(ids.keySet());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(k -> ids.get(k).toString()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.add(rs.getString(1));
                }
            }
        }
        return done;
    }

    /**
     * Links rows to GeoFA objects in {@code sync.object_link} (key -> objekt_id, key -> the version
     * seen, where known), as the applier links a row it created.
     */
    static void writeLinks(Connection c, TableMapping table, Map<String, UUID> objects, Map<String, UUID> versions) throws SQLException {
        if (objects.isEmpty()) {
            return;
        }
        List<String> keys = List.copyOf(objects.keySet());
        try (PreparedStatement ps = c.prepareStatement("""
                insert into sync.object_link (source_table, row_key, theme, correlation_key, state, objekt_id, versions_id, last_synced_at)
                select ?, k, ?, ? || k, 'linked', cast(o as uuid), cast(v as uuid), now() from unnest(?::text[], ?::text[], ?::text[]) as n(k, o, v)
                on conflict (source_table, row_key) do update
                set state = 'linked', objekt_id = excluded.objekt_id, versions_id = excluded.versions_id, last_synced_at = now()""")) {
            ps.setString(1, table.table().toString());
            ps.setString(2, table.theme().name());
            ps.setString(3, table.table() + ":");
            ps.setArray(4, c.createArrayOf("text", keys.toArray()));
            ps.setArray(5, c.createArrayOf("text", keys.stream().map(k -> objects.get(k).toString()).toArray()));
            ps.setArray(6, c.createArrayOf("text", keys.stream().map(k -> versions.containsKey(k) ? versions.get(k).toString() : null).toArray()));
            ps.executeUpdate();
        }
    }

    /** The link to a closed object goes: the row's insert event then creates a new object (nothing waits for the old one). */
    private static void forgetLinks(Connection c, TableMapping table, Collection<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("delete from sync.object_link where source_table = ? and row_key = any(?)")) {
            ps.setString(1, table.table().toString());
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            ps.executeUpdate();
        }
    }
}
