package dk.geofasync.applier.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.mapping.TableMapping;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GeoFA's values of the mapping's {@code write_back} columns per VK row, as the creates, updates and
 * look-ups of one batch returned them, kept until the batch's replies are sent ({@link #forget}).
 * Derived columns are read in one query per statement after it, since the write's RETURNING does not
 * hold them; when that read fails they are left out (VK keeps its values until the next update), as
 * the object itself was written.
 */
final class WriteBackValues {

    private static final Logger LOG = LoggerFactory.getLogger(WriteBackValues.class);

    private final GeofaClient client;
    private final Map<String, Map<String, String>> byRow = new HashMap<>();

    WriteBackValues(GeofaClient client) {
        this.client = client;
    }

    /** Takes the write_back columns {@code row} (a RETURNING or look-up row of GeoFA's) holds, for VK row {@code key}. */
    void take(TableMapping table, String key, JsonNode row) {
        if (table.writeBack().isEmpty()) {
            return;
        }
        Map<String, String> values = byRow.computeIfAbsent(table.table() + ":" + key, k -> new LinkedHashMap<>());
        for (String column : table.writeBack().keySet()) {
            JsonNode value = row.get(column);
            if (value != null) {
                values.put(column, value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString());
            }
        }
    }

    /** Reads the derived write_back columns of the objects just written ({@code keys}: objekt_id to VK row) in one query. */
    void readDerived(TableMapping table, Map<UUID, String> keys) {
        GeofaStatements statements = new GeofaStatements(table);
        if (statements.derivedWriteBack().isEmpty() || keys.isEmpty()) {
            return;
        }
        ArrayNode ids = JsonNodeFactory.instance.arrayNode();
        keys.keySet().forEach(id -> ids.add(id.toString()));
        try {
            for (JsonNode row : client.read(statements.readBack(), List.of(Map.of("ids", ids.toString()))).data()) {
                String key = keys.get(UUID.fromString(row.path("objekt_id").asText()));
                if (key != null) {
                    take(table, key, row);
                }
            }
        } catch (GeofaException e) {
            LOG.warn("{}: GeoFA's {} of {} object(s) just written could not be read ({}); VK keeps its values until their next update",
                    table.table(), statements.derivedWriteBack(), keys.size(), e.getMessage());
        }
    }

    /** The values taken for VK row {@code key} in this batch; none when the table writes nothing back. */
    ColumnValues of(TableMapping table, String key) {
        Map<String, String> values = byRow.get(table.table() + ":" + key);
        return values == null ? ColumnValues.none() : ColumnValues.of(values);
    }

    void forget() {
        byRow.clear();
    }
}
