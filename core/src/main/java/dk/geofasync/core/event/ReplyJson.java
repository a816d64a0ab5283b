package dk.geofasync.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON form of a {@link Reply}, version 1:
 * {@code {"schema":"geofa-sync.reply","version":1,"source_table":"vk.facilitet_punkt","row_key":"7","objekt_id":"…","versions_id":"…",
 * "values":{"oprettet":"…","kommunekode":"630"}}}. {@code values} (the write-back columns, GeoFA's values as
 * text or null) was added within version 1 and may be absent: a reader that knows no {@code values}
 * ignores it and still writes objekt_id back, and this reader takes a reply without it as one with none.
 * So replies of either kind may sit on the topic while geofa-sync is upgraded.
 */
public final class ReplyJson {

    public static final String SCHEMA = "geofa-sync.reply";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplyJson() {
    }

    public static byte[] write(Reply r) {
        try {
            ObjectNode n = JSON.createObjectNode().put("schema", SCHEMA).put("version", VERSION)
                    .put("source_table", r.sourceTable()).put("row_key", r.rowKey())
                    .put("objekt_id", r.objektId().toString()).put("versions_id", r.versionsId() == null ? null : r.versionsId().toString());
            if (!r.geofaValues().isEmpty()) {
                ObjectNode values = n.putObject("values");
                r.geofaValues().asMap().forEach(values::put);
            }
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write reply for " + r.sourceTable() + " " + r.rowKey(), e);
        }
    }

    public static Reply read(byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !SCHEMA.equals(n.path("schema").asText()) || n.path("version").asInt() != VERSION) {
                throw new MalformedEventException("not a version " + VERSION + " " + SCHEMA);
            }
            String versions = n.path("versions_id").isTextual() ? n.get("versions_id").asText() : null;
            Map<String, String> values = new LinkedHashMap<>();
            JsonNode v = n.path("values");
            if (!v.isMissingNode() && !v.isNull() && !v.isObject()) {
                throw new MalformedEventException("reply: 'values' must be an object of GeoFA column: value");
            }
            v.properties().forEach(e -> values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
            return new Reply(n.path("source_table").asText(), n.path("row_key").asText(), UUID.fromString(n.path("objekt_id").asText()),
                    versions == null ? null : UUID.fromString(versions), ColumnValues.of(values));
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedEventException("reply: " + e.getMessage());
        }
    }
}
