package dk.geofasync.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A dead letter's event as a terminal may show it: the values of columns the mapping marks sensitive
 * are masked, and when the table is not in the mapping (or the record was unreadable) no value is shown,
 * since nothing then says which values are personal.
 */
final class MaskedEvent {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MASK = "***";

    private MaskedEvent() {
    }

    static String of(String payload, Optional<TableMapping> table) {
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (IOException e) {
            event = null;
        }
        if (event == null || !event.isObject() || !event.has("new") && !event.has("old")) {
            return "(an unreadable record of " + payload.length() + " characters; not shown, it may hold personal data)";
        }
        Optional<Set<String>> sensitive = table.map(t -> t.sensitiveColumns().stream()
                .map(c -> t.columnFromGeofa(c).map(ColumnMapping::vkColumn).orElse(c)).collect(Collectors.toSet()));
        ObjectNode masked = ((ObjectNode) event).deepCopy();
        for (String side : new String[] {"old", "new"}) {
            if (masked.get(side) instanceof ObjectNode values) {
                for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> v = it.next();
                    if (!v.getValue().isNull() && sensitive.map(s -> s.contains(v.getKey())).orElse(true)) {
                        v.setValue(JSON.getNodeFactory().textNode(MASK));
                    }
                }
            }
        }
        return masked.toString();
    }
}
