package dk.geofasync.sandbox.vk;

import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.MappingLoader;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.sandbox.SandboxMark;
import dk.geofasync.sandbox.geofa.GeofaSeed;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The sample VK database: (re)creates the mapped tables in VK's own layout and fills them with
 * generated objects through COPY, so even a million rows load quickly. A reset with the same
 * seed always gives the same rows.
 */
public final class SampleVk {

    private static final int COPY_CHUNK = 20_000;

    private final DataSource dataSource;
    private final Mapping mapping;

    public SampleVk(DataSource dataSource, Mapping mapping) {
        this.dataSource = dataSource;
        this.mapping = mapping;
    }

    /** The Vejle mapping shipped in config/mapping-vk.yml, as the sandbox was built with it. */
    public static Mapping vejleMapping() {
        try (InputStream in = SampleVk.class.getResourceAsStream("mapping-vk.yml")) {
            if (in == null) {
                throw new IllegalStateException("mapping-vk.yml is missing from the sandbox jar");
            }
            return MappingLoader.standard().load("mapping-vk.yml (sandbox)", in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops and recreates every mapped table with {@code objectsPerTable} generated objects each. */
    public SampleLoad reset(int objectsPerTable, long seed) {
        SandboxMark.claim(dataSource); // it drops and makes the sample tables anew: never in a database of real data
        long started = System.nanoTime();
        SampleGenerator generator = new SampleGenerator(seed);
        Map<String, Integer> rows = new LinkedHashMap<>();
        Map<String, List<GeofaSeed>> linked = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            List<TableMapping> tables = mapping.tables();
            for (int t = 0; t < tables.size(); t++) {
                TableMapping table = tables.get(t);
                try (Statement s = c.createStatement()) {
                    s.execute(VkSampleSchema.create(table));
                }
                List<GeofaSeed> seeds = load(copy, table, t, objectsPerTable, generator);
                try (Statement s = c.createStatement()) {
                    // new rows staff insert get keys after the sample's
                    s.execute("select setval(pg_get_serial_sequence('" + table.table().quoted().replace("'", "''") + "', '"
                            + table.keyColumn() + "'), greatest(" + objectsPerTable + ", 1))");
                    s.execute("analyze " + table.table().quoted());
                }
                rows.put(table.table().toString(), objectsPerTable);
                linked.computeIfAbsent(table.theme().name(), k -> new ArrayList<>()).addAll(seeds);
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load the sample VK data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SampleLoad(rows, linked, Duration.ofNanos(System.nanoTime() - started));
    }

    private List<GeofaSeed> load(CopyManager copy, TableMapping table, int tableIndex, int count, SampleGenerator generator)
            throws SQLException, IOException {
        List<String> columns = VkSampleSchema.columns(table);
        String sql = "copy " + table.table().quoted() + " ("
                + columns.stream().map(SqlIdentifier::quote).collect(Collectors.joining(", ")) + ") from stdin";
        List<GeofaSeed> seeds = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (long i = 1; i <= count; i++) {
            SampleRow row = generator.row(table, tableIndex, i);
            chunk.append(i).append('\t').append(row.objektId().map(Object::toString).orElse("\\N"));
            for (int col = 2; col < columns.size(); col++) {
                chunk.append('\t').append(copyText(row.values().get(columns.get(col))));
            }
            chunk.append('\n');
            row.objektId().ifPresent(id -> seeds.add(new GeofaSeed(id, geofaValues(table, row))));
            if (i % COPY_CHUNK == 0 || i == count) {
                copy.copyIn(sql, new StringReader(chunk.toString()));
                chunk.setLength(0);
            }
        }
        return seeds;
    }

    /** The object as GeoFA holds it: mapped columns renamed and through their rules (as the applier sends them), plus the mapping's constants. */
    private static Map<String, Object> geofaValues(TableMapping table, SampleRow row) {
        Map<String, Object> values = new HashMap<>(table.constants());
        values.put("noegle", table.table() + ":" + row.key());
        for (ColumnMapping c : table.columns()) {
            Object value = row.values().get(c.vkColumn());
            boolean rules = !c.transforms().isEmpty() || !c.valueMap().isEmpty() || c.scale().isPresent();
            if (value != null && rules) {
                c.apply(java.util.Optional.of(value.toString())).ifPresent(v -> values.put(c.geofaColumn(), v));
            } else if (value != null) {
                values.put(c.geofaColumn(), value);
            }
        }
        return values;
    }

    private static String copyText(Object value) {
        if (value == null) {
            return "\\N";
        }
        String text = value.toString();
        StringBuilder s = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '\\' -> s.append("\\\\");
                case '\t' -> s.append("\\t");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                default -> s.append(ch);
            }
        }
        return s.toString();
    }
}
