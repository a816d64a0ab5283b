package dk.geofasync.capture.backfill;

import dk.geofasync.capture.install.CaptureTriggerSql;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code geofa-sync backfill}: enqueues existing VK rows as insert events, by default those that
 * have no objekt_id yet (never sent to GeoFA), with {@code all} every row (initial load or full
 * resend). Walks the table in key order in chunks, each its own short transaction, so a
 * million-row table is never locked for long and an interrupted backfill can simply run again.
 */
public final class Backfill {

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

    private final DataSource dataSource;
    private final int chunkSize;

    public Backfill(DataSource dataSource, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("backfill chunk size must be at least 1, got " + chunkSize);
        }
        this.dataSource = dataSource;
        this.chunkSize = chunkSize;
    }

    /**
     * @param onlyTable a table of the mapping (schema.table), or empty for every table
     * @param all every row, not only those without objekt_id
     * @return rows enqueued per table
     */
    public Map<String, Long> run(Mapping mapping, Optional<String> onlyTable, boolean all) {
        List<TableMapping> tables = onlyTable.map(name -> List.of(mapping.table(name).orElseThrow(
                () -> new IllegalArgumentException("table " + name + " is not in the mapping " + mapping.source()))))
                .orElse(mapping.tables());
        Map<String, Long> enqueued = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (TableMapping table : tables) {
                enqueued.put(table.table().toString(), backfill(c, table, all));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("backfill failed: " + e.getMessage(), e);
        }
        return enqueued;
    }

    /**
     * Enqueues one row's current state: an insert event when the row exists (a linked object gets
     * its mapped columns sent again), else a delete with the objekt_id given. Used to retry a dead
     * letter after staff fixed the row. Returns the outbox id.
     */
    public long enqueueRow(TableMapping table, String key, java.util.Optional<String> objektIdIfGone) {
        try (Connection c = dataSource.getConnection()) {
            String row = "(select * from " + table.table().quoted() + " where " + SqlIdentifier.quote(table.keyColumn()) + "::text = ?)";
            String insert = """
                    insert into sync.outbox (source_table, row_key, op, new_values)
                    select %1$s, n.k, 'I', n.h || hstore(%2$s, n.oid) from (%3$s) n
                    returning id""".formatted(SqlIdentifier.literal(table.table().toString()), SqlIdentifier.literal(table.objektIdColumn()),
                    CaptureTriggerSql.image(table, row));
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into sync.outbox (source_table, row_key, op, old_values) "
                    + "values (?, ?, 'D', hstore(?, ?)) returning id")) {
                ps.setString(1, table.table().toString());
                ps.setString(2, key);
                ps.setString(3, table.objektIdColumn());
                ps.setString(4, objektIdIfGone.orElse(null));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot enqueue " + table.table() + " " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Enqueues the current state of the rows {@code keys} (as text) as insert events, in the caller's
     * transaction: a linked object gets every mapped column compared and what differs sent, a row
     * without objekt_id is created. Keys without a row are passed over. Returns the events enqueued.
     */
    public static int enqueueRows(Connection c, TableMapping table, java.util.Collection<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return 0;
        }
        String rows = "(select * from " + table.table().quoted() + " where " + SqlIdentifier.quote(table.keyColumn()) + "::text = any(?))";
        String insert = """
                insert into sync.outbox (source_table, row_key, op, new_values)
                select %1$s, n.k, 'I', n.h || hstore(%2$s, n.oid) from (%3$s) n""".formatted(SqlIdentifier.literal(table.table().toString()),
                SqlIdentifier.literal(table.objektIdColumn()), CaptureTriggerSql.image(table, rows));
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            return ps.executeUpdate();
        }
    }

    /**
     * Enqueues deletes of GeoFA objects whose VK rows are gone (key and objekt_id; a key may come with
     * several objects), in the caller's transaction; a key whose row exists again is passed over.
     * Returns the events enqueued.
     */
    public static int enqueueDeletes(Connection c, TableMapping table, List<Map.Entry<String, java.util.UUID>> objektIds) throws SQLException {
        if (objektIds.isEmpty()) {
            return 0;
        }
        String insert = """
                insert into sync.outbox (source_table, row_key, op, old_values)
                select %1$s, d.k, 'D', hstore(%2$s, d.o) from unnest(?::text[], ?::text[]) as d(k, o)
                 where not exists (select 1 from %3$s r where r.%4$s::text = d.k)""".formatted(SqlIdentifier.literal(table.table().toString()),
                SqlIdentifier.literal(table.objektIdColumn()), table.table().quoted(), SqlIdentifier.quote(table.keyColumn()));
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setArray(1, c.createArrayOf("text", objektIds.stream().map(Map.Entry::getKey).toArray()));
            ps.setArray(2, c.createArrayOf("text", objektIds.stream().map(e -> e.getValue().toString()).toArray()));
            return ps.executeUpdate();
        }
    }

    private long backfill(Connection c, TableMapping table, boolean all) throws SQLException {
        String key = SqlIdentifier.quote(table.keyColumn());
        String keyType = columnType(c, table, table.keyColumn());
        String filter = all ? "" : " and " + SqlIdentifier.quote(table.objektIdColumn()) + " is null";
        String sql = """
                with chunk as (select * from %1$s where (cast(? as %2$s) is null or %3$s > cast(? as %2$s))%4$s order by %3$s limit %5$d),
                     queued as (insert into sync.outbox (source_table, row_key, op, new_values)
                                select %6$s, n.k, 'I', n.h || hstore(%7$s, n.oid) from (%8$s) n)
                select max(%3$s)::text, count(*) from chunk""".formatted(table.table().quoted(), keyType, key, filter, chunkSize,
                SqlIdentifier.literal(table.table().toString()), SqlIdentifier.literal(table.objektIdColumn()), CaptureTriggerSql.image(table, "chunk"));
        long total = 0;
        String last = null;
        c.setAutoCommit(true); // each chunk commits on its own: short transactions, no long locks
        try (PreparedStatement ps = c.prepareStatement("set datestyle = 'ISO, YMD'")) {
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            while (true) {
                ps.setString(1, last);
                ps.setString(2, last);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long rows = rs.getLong(2);
                    if (rows == 0) {
                        break;
                    }
                    total += rows;
                    last = rs.getString(1);
                }
            }
        }
        LOG.info("backfill of {}: {} rows enqueued as inserts{}", table.table(), total, all ? "" : " (rows without objekt_id)");
        return total;
    }

    /** A VK column's type as PostgreSQL writes it ({@code bigint}, {@code uuid}): from the catalogue, so safe in a statement's text. */
    public static String columnType(Connection c, TableMapping table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select format_type(atttypid, atttypmod) from pg_attribute"
                + " where attrelid = to_regclass(?) and attname = ? and not attisdropped")) {
            ps.setString(1, table.table().quoted());
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("VK table " + table.table() + " has no column " + column);
                }
                return rs.getString(1);
            }
        }
    }

}
