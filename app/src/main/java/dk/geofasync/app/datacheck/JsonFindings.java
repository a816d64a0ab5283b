package dk.geofasync.app.datacheck;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dk.geofasync.core.mapping.TableMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * check-data's report for scripts, written as it goes (a table full of refusals never sits in memory):
 * {@code {"refusals": [{"table", "key", "column", "geofa_column", "rule", "reason", "value", "masked"}, …],
 * "tables": [{"table", "theme", "rows", "refused_rows"}, …], "rows": N, "refused_rows": N}}. A masked
 * value is {@code null} with {@code "masked": true}.
 */
public final class JsonFindings implements Findings {

    private record TableCount(TableMapping table, long rows, long refusedRows) {
    }

    private final JsonGenerator json;
    private final List<TableCount> tables = new ArrayList<>();

    public JsonFindings(Writer out) {
        try {
            json = new JsonFactory().createGenerator(out).useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeArrayFieldStart("refusals");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void tableStarted(TableMapping table) {
        // the refusals name their table; the counts follow at the end
    }

    @Override
    public void refused(Finding f) {
        try {
            json.writeStartObject();
            json.writeStringField("table", f.table());
            json.writeStringField("key", f.key());
            json.writeStringField("column", f.column());
            json.writeStringField("geofa_column", f.geofaColumn());
            json.writeStringField("rule", f.rule().name().toLowerCase(Locale.ROOT));
            json.writeStringField("reason", f.reason());
            json.writeStringField("value", f.value().orElse(null));
            json.writeBooleanField("masked", f.masked());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void tableDone(TableMapping table, long rows, long refusedRows) {
        tables.add(new TableCount(table, rows, refusedRows));
    }

    @Override
    public void done(long rows, long refusedRows) {
        try {
            json.writeEndArray();
            json.writeArrayFieldStart("tables");
            for (TableCount t : tables) {
                json.writeStartObject();
                json.writeStringField("table", t.table().table().toString());
                json.writeStringField("theme", t.table().theme().name());
                json.writeNumberField("rows", t.rows());
                json.writeNumberField("refused_rows", t.refusedRows());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeNumberField("rows", rows);
            json.writeNumberField("refused_rows", refusedRows);
            json.writeEndObject();
            json.writeRaw('\n');
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
