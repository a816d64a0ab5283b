package dk.geofasync.applier.writeback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.applier.geofa.RowValues;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes GeoFA's objekt_id, and the values of the mapping's {@code write_back} columns, into the VK
 * rows, echo-free: the session carries the write-back marker ({@code geofa_sync.origin = 'write-back'}),
 * so the capture triggers write no outbox row for it (and write-back columns are never synced columns,
 * so no later change of them is captured either). Idempotent: writing the same values again changes
 * nothing. Many replies go in one statement per table. A value a VK column cannot take (GeoFA's text in
 * an integer column) holds no other row back: that row gets its objekt_id alone, and the error is logged.
 */
public final class WriteBack {

    private static final Logger LOG = LoggerFactory.getLogger(WriteBack.class);
    /** The session marker the capture triggers recognise. */
    public static final String MARKER = "set local geofa_sync.origin = 'write-back'";
    /** What a type name from PostgreSQL's own format_type may look like (e.g. {@code character varying(20)}). */
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_ ]*(\\(\\d+(,\\d+)?\\))?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource vk;
    private final Mapping mapping;
    /** VK column types by {@code schema.table.column}, read once. */
    private final Map<String, String> columnTypes = new HashMap<>();

    public WriteBack(DataSource vk, Mapping mapping) {
        this.vk = vk;
        this.mapping = mapping;
    }

    /** @return false when the VK row is gone (deleted since) */
    public boolean apply(Reply reply) {
        return applyAll(List.of(reply)).isEmpty();
    }

    /**
     * Writes the replies in one transaction; when VK refuses a write-back value, each reply on its own,
     * and a refused one with its objekt_id only.
     *
     * @return the replies whose VK row is gone (deleted since)
     */
    public List<Reply> applyAll(List<Reply> replies) {
        try {
            return write(replies, true);
        } catch (ValueRefused refused) {
            if (replies.size() > 1) {
                List<Reply> gone = new ArrayList<>();
                replies.forEach(r -> gone.addAll(applyAll(List.of(r))));
                return gone;
            }
            Reply r = replies.get(0);
            LOG.error("{} {}: VK refused GeoFA's write_back values ({}); only objekt_id {} is written back. Fix the VK column's type "
                    + "or the mapping's write_back; the next update of the object writes them again", r.sourceTable(), r.rowKey(),
                    RowValues.withheld(refused.getMessage()), r.objektId());
            return write(replies, false);
        }
    }

    private List<Reply> write(List<Reply> replies, boolean withValues) {
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
                    gone.addAll(write(c, t.getKey(), t.getValue(), withValues));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            // a value VK's column refuses (class 22: its type; 23: its NOT NULL or CHECK; P0001: VK's own trigger) is the
            // written-back value's fault, not VK's: the row then gets its objekt_id alone. PostgreSQL's message may quote
            // the row, so only its withheld form goes on.
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (withValues && (state.startsWith("22") || state.startsWith("23") || state.equals("P0001"))) {
                throw new ValueRefused(dk.geofasync.applier.geofa.RowValues.withheld(e.getMessage()));
            }
            throw new IllegalStateException("cannot write " + replies.size() + " objekt_id back to VK: "
                    + dk.geofasync.applier.geofa.RowValues.withheld(e.getMessage()), e);
        }
        return gone;
    }

    private List<Reply> write(Connection c, TableMapping table, Map<String, Reply> replies, boolean withValues) throws SQLException {
        String key = SqlIdentifier.quote(table.keyColumn());
        String objektId = SqlIdentifier.quote(table.objektIdColumn());
        String keyType = columnType(c, table, table.keyColumn());
        List<String> set = new ArrayList<>(List.of(objektId + " = r.o"));
        List<String> now = new ArrayList<>(List.of("t." + objektId));
        List<String> wanted = new ArrayList<>(List.of("r.o"));
        if (withValues) {
            for (Map.Entry<String, String> w : table.writeBack().entrySet()) {
                String column = SqlIdentifier.quote(w.getValue());
                String field = SqlIdentifier.literal(w.getKey());
                // a GeoFA column the reply does not carry keeps VK's value
                String value = "case when r.w::jsonb -> " + field + " is not null then (r.w::jsonb ->> " + field + ")::"
                        + columnType(c, table, w.getValue()) + " else t." + column + " end";
                set.add(column + " = " + value);
                now.add("t." + column);
                wanted.add(value);
            }
        }
        // the key is compared in its own type, so the primary key's index finds the rows
        String sql = "with r(k, o, w) as (select * from unnest(?::text[], ?::uuid[], ?::text[])), "
                + "u as (update " + table.table().quoted() + " t set " + String.join(", ", set) + " from r"
                + " where t." + key + " = r.k::" + keyType + " and row(" + String.join(", ", now) + ") is distinct from row("
                + String.join(", ", wanted) + ") returning t." + key + ") "
                + "select r.k from r where not exists (select 1 from " + table.table().quoted() + " t where t." + key + " = r.k::" + keyType + ")";
        List<Reply> gone = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", replies.keySet().toArray()));
            ps.setArray(2, c.createArrayOf("text", replies.values().stream().map(r -> r.objektId().toString()).toArray()));
            ps.setArray(3, c.createArrayOf("text", replies.values().stream().map(WriteBack::valuesJson).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gone.add(replies.get(rs.getString(1)));
                }
            }
        }
        return gone;
    }

    private static String valuesJson(Reply r) {
        try {
            return JSON.writeValueAsString(r.geofaValues().asMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the write_back values of " + r.sourceTable() + " " + r.rowKey(), e);
        }
    }

    /** A VK column's type as PostgreSQL writes it, read once: the write-back casts GeoFA's text to it. */
    private String columnType(Connection c, TableMapping table, String column) throws SQLException {
        String cacheKey = table.table() + "." + column;
        String cached = columnTypes.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        // the type without its length: an explicit cast to varchar(n) would cut a long value silently, the assignment refuses it
        try (PreparedStatement ps = c.prepareStatement(
                "select format_type(atttypid, null) from pg_attribute where attrelid = ?::regclass and attname = ? and not attisdropped")) {
            ps.setString(1, table.table().quoted());
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("VK table " + table.table() + " has no column " + column
                            + " (the mapping's key, objekt_id or write_back names it)");
                }
                String type = rs.getString(1);
                if (!TYPE_NAME.matcher(type).matches()) {
                    throw new IllegalStateException("VK table " + table.table() + ": column " + column + " has type " + type
                            + ", which the write-back cannot write to");
                }
                columnTypes.put(cacheKey, type);
                return type;
            }
        }
    }

    /** VK refused a write-back value (SQLSTATE class 22): the row's fault, not VK's. */
    private static final class ValueRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ValueRefused(String message) {
            super(message);
        }
    }
}
