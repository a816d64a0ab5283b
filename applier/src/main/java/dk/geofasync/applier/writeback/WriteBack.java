package dk.geofasync.applier.writeback;

import dk.geofasync.core.event.Reply;

import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Writes GeoFA's objekt_id into the VK row, echo-free: the session carries the write-back marker
 * ({@code geofa_sync.origin = 'write-back'}), so the capture triggers write no outbox row for it.
 * Idempotent: writing the same id again changes nothing.
 */
public final class WriteBack {

    /** The session marker the capture triggers recognise. */
    public static final String MARKER = "set local geofa_sync.origin = 'write-back'";

    private final DataSource vk;
    private final Mapping mapping;

    public WriteBack(DataSource vk, Mapping mapping) {
        this.vk = vk;
        this.mapping = mapping;
    }

    /** @return false when the VK row is gone (deleted since) */
    public boolean apply(Reply reply) {
        TableMapping table = mapping.table(reply.sourceTable())
                .orElseThrow(() -> new IllegalArgumentException("reply for a table not in the mapping: " + reply.sourceTable()));
        String sql = "update " + table.table().quoted() + " set " + SqlIdentifier.quote(table.objektIdColumn()) + " = ?::uuid"
                + " where " + SqlIdentifier.quote(table.keyColumn()) + "::text = ?"
                + " and " + SqlIdentifier.quote(table.objektIdColumn()) + " is distinct from ?::uuid";
        try (Connection c = vk.getConnection()) {
            c.setAutoCommit(false);
            try (Statement marker = c.createStatement(); PreparedStatement ps = c.prepareStatement(sql)) {
                marker.execute(MARKER);
                ps.setString(1, reply.objektId().toString());
                ps.setString(2, reply.rowKey());
                ps.setString(3, reply.objektId().toString());
                int changed = ps.executeUpdate();
                c.commit();
                return changed > 0 || rowExists(c, table, reply.rowKey());
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write objekt_id " + reply.objektId() + " back to " + reply.sourceTable() + " "
                    + reply.rowKey() + ": " + e.getMessage(), e);
        }
    }

    private static boolean rowExists(Connection c, TableMapping table, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from " + table.table().quoted() + " where "
                + SqlIdentifier.quote(table.keyColumn()) + "::text = ?")) {
            ps.setString(1, key);
            return ps.executeQuery().next();
        }
    }
}
