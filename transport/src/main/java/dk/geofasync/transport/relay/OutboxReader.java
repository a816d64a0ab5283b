package dk.geofasync.transport.relay;

import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.event.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.util.HStoreConverter;

/**
 * Reads unpublished outbox rows in id order and shapes them into change events; the geometry's
 * hex EWKB becomes GeoJSON in EPSG:25832 here, in the database, off the staff's write path.
 *
 * <p>Why this cannot skip a row: rows are chosen by "not yet published", never by "id above the
 * last published id". A transaction that took its outbox ids early and commits late is invisible
 * until it commits and is then picked up by a later batch, whatever ids were published meanwhile.
 * Two changes of one object cannot overtake each other: the pump writes a row's changes one pump
 * after the other (one pump per table at a time, each taking only committed keys); backfill,
 * replay and reconcile write theirs in transactions of their own, as before.
 */
final class OutboxReader {

    private static final String SELECT = """
            select o.id, o.txid::text, o.source_table, o.row_key, o.op, o.captured_at, o.old_values::text, o.new_values::text,
                   g.geometry_column,
                   st_asgeojson(st_transform((o.old_values -> g.geometry_column)::geometry, 25832), 9, 2),
                   st_asgeojson(st_transform((o.new_values -> g.geometry_column)::geometry, 25832), 9, 2)
              from sync.outbox o
              left join unnest(?::text[], ?::text[]) as g(source_table, geometry_column) on g.source_table = o.source_table
            """;
    private static final String BATCH = SELECT + " where o.published_at is null order by o.id limit ?";
    private static final String ONE = SELECT + " where o.id = ?";
    private static final String WAITING = """
            select o.id, o.txid::text, o.source_table, o.row_key, o.op from sync.outbox o
             where o.published_at is null order by o.id limit ?""";

    /** An outbox row that cannot become an event (its geometry cannot be converted): it goes to dead letters, not to Kafka. */
    record Refused(long outboxId, String txid, String sourceTable, String rowKey, Operation op, Optional<String> column, String reason) {
    }

    /** The next rows waiting, in id order: as events, and those that could not be made into one. */
    record Batch(List<ChangeEvent> events, List<Refused> refused) {
        int rows() {
            return events.size() + refused.size();
        }
    }

    private final String sourceId;
    private final RelayConfig config;

    OutboxReader(String sourceId, RelayConfig config) {
        this.sourceId = sourceId;
        this.config = config;
    }

    /**
     * Reads the next batch in one query. When that query fails on a row (PostGIS cannot transform a
     * geometry without an SRID, say), the batch is read again row by row, so the one row is refused
     * and every other row goes on. A row is refused only for a data error (SQLSTATE class 22, or
     * PostGIS's XX000); when every row of the batch failed so, a known-good geometry is converted as
     * a probe, and if that fails too (PROJ or PostGIS broken) the error is VK's, not the rows', and
     * stops the relay until it passes. Other errors (a cancelled query, memory) always stop it.
     */
    Batch next(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BATCH)) {
            bindGeometryColumns(c, ps);
            ps.setInt(3, config.batchSize());
            return new Batch(events(ps), List.of());
        } catch (SQLException e) {
            if (!c.isValid(5)) {
                throw e;
            }
            return rowByRow(c);
        }
    }

    private Batch rowByRow(Connection c) throws SQLException {
        List<ChangeEvent> events = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        SQLException last = null;
        try (PreparedStatement waiting = c.prepareStatement(WAITING); PreparedStatement one = c.prepareStatement(ONE)) {
            waiting.setInt(1, config.batchSize());
            bindGeometryColumns(c, one);
            try (ResultSet rs = waiting.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    one.setLong(3, id);
                    try {
                        events.addAll(events(one));
                    } catch (SQLException e) {
                        if (!c.isValid(5) || !isDataError(e)) {
                            throw e;
                        }
                        last = e;
                        String table = rs.getString(3);
                        Optional<String> column = Optional.ofNullable(config.geometryColumns().get(table));
                        refused.add(new Refused(id, rs.getString(2), table, rs.getString(4), Operation.fromCode(rs.getString(5)), column,
                                "the " + column.map(g -> "geometry in column " + g).orElse("row") + " cannot be made into a change event: "
                                        + firstLine(e.getMessage())));
                    }
                }
            }
        }
        if (events.isEmpty() && refused.size() > 1 && !conversionWorks(c)) {
            throw last; // every row failed, and so does a good geometry: not the rows' fault
        }
        return new Batch(events, refused);
    }

    private static boolean conversionWorks(Connection c) {
        try (PreparedStatement probe = c.prepareStatement("select st_asgeojson(st_transform('SRID=4326;POINT(9.5 55.7)'::geometry, 25832))");
             ResultSet rs = probe.executeQuery()) {
            return rs.next() && rs.getString(1) != null;
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean isDataError(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("22") || state.equals("XX000");
    }

    private void bindGeometryColumns(Connection c, PreparedStatement ps) throws SQLException {
        List<String> tables = new ArrayList<>(config.geometryColumns().keySet());
        ps.setArray(1, c.createArrayOf("text", tables.toArray()));
        ps.setArray(2, c.createArrayOf("text", tables.stream().map(config.geometryColumns()::get).toArray()));
    }

    private List<ChangeEvent> events(PreparedStatement ps) throws SQLException {
        List<ChangeEvent> events = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String geometryColumn = rs.getString(9);
                long id = rs.getLong(1);
                String table = rs.getString(3);
                Set<String> sensitive = config.withheldColumns().getOrDefault(table, Set.of());
                Set<String> withheld = new TreeSet<>();
                events.add(new ChangeEvent(sourceId + ":" + id, id, rs.getString(2), table, rs.getString(4),
                        Operation.fromCode(rs.getString(5)), rs.getObject(6, OffsetDateTime.class).toInstant(),
                        withhold(values(rs.getString(7), geometryColumn, rs.getString(10)), sensitive, withheld),
                        withhold(values(rs.getString(8), geometryColumn, rs.getString(11)), sensitive, withheld), withheld));
            }
        }
        return events;
    }

    /**
     * The values with those of {@code sensitive} columns set to null (the column stays, so an
     * update still names what it changed); adds the columns whose value it took to {@code withheld}.
     */
    private static ColumnValues withhold(ColumnValues values, Set<String> sensitive, Set<String> withheld) {
        if (sensitive.isEmpty() || sensitive.stream().noneMatch(c -> values.value(c).isPresent())) {
            return values;
        }
        Map<String, String> kept = new LinkedHashMap<>(values.asMap());
        for (String column : sensitive) {
            if (kept.get(column) != null) {
                kept.put(column, null);
                withheld.add(column);
            }
        }
        return ColumnValues.of(kept);
    }

    /** PostgreSQL's first line only: the rest (DETAIL, CONTEXT) may repeat the row's values. */
    private static String firstLine(String message) {
        String m = message == null ? "" : message.startsWith("ERROR: ") ? message.substring(7) : message;
        return m.lines().findFirst().orElse(m).trim();
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
