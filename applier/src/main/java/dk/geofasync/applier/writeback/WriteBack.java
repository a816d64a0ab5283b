package dk.geofasync.applier.writeback;

import dk.geofasync.core.event.Reply;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Writes GeoFA's objekt_id into the VK rows, echo-free: the session carries the write-back marker
 * ({@code geofa_sync.origin = 'write-back'}), so the capture triggers write no outbox row for it.
 * Idempotent: writing the same id again changes nothing. Many replies go in one statement per table.
 */
public final class WriteBack {

    /** The session marker the capture triggers recognise. */
    public static final String MARKER = "set local geofa_sync.origin = 'write-back'";
    /** What a type name from PostgreSQL's own format_type may look like (e.g. {@code character varying(20)}). */
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_ ]*(\\(\\d+(,\\d+)?\\))?");

    private final DataSource vk;
    private final Mapping mapping;
    private final Map<String, String> keyTypes = new HashMap<>();

    public WriteBack(DataSource vk, Mapping mapping) {
        this.vk = vk;
        this.mapping = mapping;
    }

    /** @return false when the VK row is gone (deleted since) */
    public boolean apply(Reply reply) {
        return applyAll(List.of(reply)).isEmpty();
    }

    /**
     * Writes the replies in one transaction.
     *
     * @return the replies whose VK row is gone (deleted since)
     */
    public List<Reply> applyAll(List<Reply> replies) {
        Map<TableMapping, Map<String, Reply>> byTable = new LinkedHashMap<>();
        for (Reply r : replies) {
            TableMapping table = mapping.table(r.sourceTable())
                    .orElseThrow(() -> new IllegalArgumentException("reply for a table not in the mapping: " + r.sourceTable()));
            byTable.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(r.rowKey(), r); // the last reply of a row wins
        }
        List<Reply> gone = new ArrayList<>();
        try (Connection c = vk.getConnection()) {
            c.setAutoCommit(false);
            try (Statement marker = c.createStatement()) {
                marker.execute(MARKER);
                for (Map.Entry<TableMapping, Map<String, Reply>> t : byTable.entrySet()) {
                    gone.addAll(write(c, t.getKey(), t.getValue()));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + replies.size() + " objekt_id back to VK: " + e.getMessage(), e);
        }
        return gone;
    }

    private List<Reply> write(Connection c, TableMapping table, Map<String, Reply> replies) throws SQLException {
        String key = SqlIdentifier.quote(table.keyColumn());
        String objektId = SqlIdentifier.quote(table.objektIdColumn());
        // the key is compared in its own type, so the primary key's index finds the rows
        String sql = "with r(k, o) as (select * from unnest(?::text[], ?::uuid[])), "
                + "u as (update " + table.table().quoted() + " t set " + objektId + " = r.o from r"
                + " where t." + key + " = r.k::" + keyType(c, table) + " and t." + objektId + " is distinct from r.o returning t." + key + ") "
                + "select r.k from r where not exists (select 1 from " + table.table().quoted() + " t where t." + key + " = r.k::" + keyType(c, table) + ")";
        List<Reply> gone = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", replies.keySet().toArray()));
            ps.setArray(2, c.createArrayOf("text", replies.values().stream().map(r -> r.objektId().toString()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gone.add(replies.get(rs.getString(1)));
                }
            }
        }
        return gone;
    }

    private String keyType(Connection c, TableMapping table) throws SQLException {
        String cached = keyTypes.get(table.table().toString());
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = ?::regclass and attname = ? and not attisdropped")) {
            ps.setString(1, table.table().quoted());
            ps.setString(2, table.keyColumn());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("VK table " + table.table() + " has no key column " + table.keyColumn());
                }
                String type = rs.getString(1);
                if (!TYPE_NAME.matcher(type).matches()) {
                    throw new IllegalStateException("VK table " + table.table() + ": key column " + table.keyColumn() + " has type " + type
                            + ", which the write-back cannot compare with");
                }
                keyTypes.put(table.table().toString(), type);
                return type;
            }
        }
    }
}
