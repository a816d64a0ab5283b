package dk.geofasync.core.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The mapping file as written, before validation; every field may be missing. */
record MappingFile(Map<String, JsonNode> constants, List<TableEntry> tables) {

    record TableEntry(
            String table,
            String theme,
            String key,
            @JsonProperty("objekt_id") String objektId,
            Map<String, JsonNode> columns,
            Map<String, JsonNode> constants,
            List<String> sensitive,
            @JsonProperty("write_back") Map<String, JsonNode> writeBack,
            MatchEntry match) {
    }

    /** {@code match: { objekt_id: geofa_id }} or {@code match: { columns: [facil_ty_k], within: 5 }}: how reconcile --link finds objects. */
    record MatchEntry(@JsonProperty("objekt_id") String objektId, List<String> columns, JsonNode within) {
    }

    /**
     * The long form of a column entry: {@code { to: navn, transform: [trim], values: {"ja": "1"} }}, or
     * {@code { to: laengde, scale: 0.001 }}. The scale stays a node so a text is told apart from a number.
     */
    record ColumnEntry(String to, List<String> transform, Map<String, String> values, JsonNode scale) {
    }
}
