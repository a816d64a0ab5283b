package dk.geofasync.transport.relay;

import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.event.Operation;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.HStoreConverter;

/**
 * Reads unpublished outbox rows in id order and shapes them into change events; the geometry's
 * hex EWKB becomes GeoJSON in EPSG:25832 here, in the database, off the staff's write path.
 *
 * <p>Why this cannot skip a row: rows are chosen by "not yet published", never by "id above the
 * last published id". A transaction that took its outbox ids early and commits late is invisible
 * until it commits and is then picked up by a later batch, whatever ids were published meanwhile.
 * Two changes of one object cannot overtake each other: the second waits for the first's row lock,
 * so it gets its id, and becomes visible, only after the first committed.
 */
final class OutboxReader {

    private static final String SQL = """
            select o.id, o.txid::text, o.source_table, o.row_key, o.op, o.captured_at, o.old_values::text, o.new_values::text,
                   g.geometry_column,
                   st_asgeojson(st_transform((o.old_values -> g.geometry_column)::geometry, 25832), 9, 2),
                   st_asgeojson(st_transform((o.new_values -> g.geometry_column)::geometry, 25832), 9, 2)
              from sync.outbox o
              left join unnest(?::text[], ?::text[]) as g(source_table, geometry_column) on g.source_table = o.source_table
             where o.published_at is null
             order by o.id
             limit ?""";

    private final String sourceId;
    private final RelayConfig config;

    OutboxReader(String sourceId, RelayConfig config) {
        this.sourceId = sourceId;
        this.config = config;
    }

    List<ChangeEvent> next(Connection c) throws SQLException {
        List<ChangeEvent> events = new ArrayList<>();
        List<String> tables = new ArrayList<>(config.geometryColumns().keySet());
        List<String> columns = tables.stream().map(config.geometryColumns()::get).toList();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            Array t = c.createArrayOf("text", tables.toArray());
            Array g = c.createArrayOf("text", columns.toArray());
            ps.setArray(1, t);
            ps.setArray(2, g);
            ps.setInt(3, config.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String geometryColumn = rs.getString(9);
                    long id = rs.getLong(1);
                    events.add(new ChangeEvent(sourceId + ":" + id, id, rs.getString(2), rs.getString(3), rs.getString(4),
                            Operation.fromCode(rs.getString(5)), rs.getObject(6, OffsetDateTime.class).toInstant(),
                            values(rs.getString(7), geometryColumn, rs.getString(10)),
                            values(rs.getString(8), geometryColumn, rs.getString(11))));
                }
            }
        }
        return events;
    }

    private static ColumnValues values(String hstore, String geometryColumn, String geoJson) {
        if (hstore == null) {
            return ColumnValues.none();
        }
        Map<String, String> values = new HashMap<>(HStoreConverter.fromString(hstore));
        if (geometryColumn != null && values.containsKey(geometryColumn)) {
            values.put(geometryColumn, geoJson);
        }
        return ColumnValues.of(values);
    }
}
