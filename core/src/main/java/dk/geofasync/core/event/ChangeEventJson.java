package dk.geofasync.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of a {@link ChangeEvent}, version 1:
 * <pre>{"schema":"geofa-sync.change","version":1,"event_id":"…","outbox_id":42,"txid":"…",
 *  "source_table":"vk.facilitet_punkt","row_key":"7","op":"U","captured_at":"2026-…Z",
 *  "old":{"navn":"Gammelt"},"new":{"navn":"Nyt","geom":"{\"type\":\"Point\",…}",…}}</pre>
 * Every value is a JSON string or null. Version 2 adds {@code "withheld":["kontak_ved"]}: columns
 * whose values stayed in VK (null in both images); it is written only for such events, so that an
 * older reader refuses them instead of taking the nulls for values. A reader refuses other schemas
 * and newer versions with a {@link MalformedEventException} naming what is wrong, so the event goes
 * to dead letters.
 */
public final class ChangeEventJson {

    public static final String SCHEMA = "geofa-sync.change";
    public static final int VERSION = 1;
    /** The version of events with withheld values. */
    public static final int VERSION_WITHHELD = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeEventJson() {
    }

    public static byte[] write(ChangeEvent e) {
        ObjectNode n = JSON.createObjectNode()
                .put("schema", SCHEMA)
                .put("version", e.withheld().isEmpty() ? VERSION : VERSION_WITHHELD)
                .put("event_id", e.eventId())
                .put("outbox_id", e.outboxId())
                .put("txid", e.txid())
                .put("source_table", e.sourceTable())
                .put("row_key", e.rowKey())
                .put("op", e.op().code())
                .put("captured_at", e.capturedAt().toString());
        n.set("old", values(e.oldValues()));
        n.set("new", values(e.newValues()));
        if (!e.withheld().isEmpty()) {
            e.withheld().stream().sorted().forEach(n.putArray("withheld")::add);
        }
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e1) {
            throw new IllegalStateException("cannot write event " + e.eventId(), e1);
        }
    }

    public static ChangeEvent read(byte[] bytes) {
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedEventException("not readable: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new MalformedEventException("not a JSON object");
        }
        if (!SCHEMA.equals(n.path("schema").asText())) {
            throw new MalformedEventException("schema is '" + n.path("schema").asText() + "', expected " + SCHEMA);
        }
        int version = n.path("version").asInt(-1);
        if (version != VERSION && version != VERSION_WITHHELD) {
            throw new MalformedEventException("version " + version + " is not understood (this geofa-sync reads versions " + VERSION + " and "
                    + VERSION_WITHHELD + ")");
        }
        try {
            return new ChangeEvent(text(n, "event_id"), n.path("outbox_id").asLong(), text(n, "txid"), text(n, "source_table"),
                    text(n, "row_key"), Operation.fromCode(text(n, "op")), Instant.parse(text(n, "captured_at")),
                    values(n, "old"), values(n, "new"), withheld(n));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedEventException(e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new MalformedEventException("field " + field + " is missing or not text");
        }
        if (v.asText().indexOf('\u0000') >= 0) {
            throw new MalformedEventException("field " + field + " holds a NUL character");
        }
        return v.asText();
    }

    private static java.util.Set<String> withheld(JsonNode n) {
        JsonNode w = n.get("withheld");
        if (w == null || w.isNull()) {
            return java.util.Set.of();
        }
        if (!w.isArray()) {
            throw new MalformedEventException("field withheld must be a list of column names");
        }
        java.util.Set<String> columns = new java.util.LinkedHashSet<>();
        for (JsonNode c : w) {
            if (!c.isTextual() || c.asText().isEmpty() || c.asText().indexOf('\u0000') >= 0) {
                throw new MalformedEventException("field withheld must be a list of column names");
            }
            columns.add(c.asText());
        }
        return columns;
    }

    private static ObjectNode values(ColumnValues values) {
        ObjectNode o = JSON.createObjectNode();
        values.asMap().forEach(o::put);
        return o;
    }

    private static ColumnValues values(JsonNode n, String field) {
        JsonNode o = n.get(field);
        if (o == null || o.isNull()) {
            return ColumnValues.none();
        }
        if (!o.isObject()) {
            throw new MalformedEventException("field " + field + " must be an object of column values");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull() && !e.getValue().isTextual()) {
                throw new MalformedEventException("value of column " + e.getKey() + " in " + field + " must be text or null");
            }
            if (e.getValue().isTextual() && e.getValue().asText().indexOf('\u0000') >= 0) {
                // PostgreSQL text cannot hold NUL: neither GeoFA nor VK's bookkeeping could store this value
                throw new MalformedEventException("value of column " + e.getKey() + " in " + field + " holds a NUL character");
            }
            map.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        return ColumnValues.of(map);
    }
}
