package dk.geofasync.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/**
 * The JSON form of a {@link DeadLetterEvent}, version 1: {@code {"schema":"geofa-sync.dead-letter",
 * "version":1,"letter_id":12,"status":"open","event_id":"…","source_table":"vk.facilitet_punkt",
 * "row_key":"902","theme":"t_5800_fac_pkt","objekt_id":null,"op":"I","column":"off_kode",
 * "reason":"…","geofa_message":"…","attempts":1,"created_at":"…","resolved_at":null}}. Absent
 * values are written as null.
 */
public final class DeadLetterEventJson {

    public static final String SCHEMA = "geofa-sync.dead-letter";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterEventJson() {
    }

    public static byte[] write(DeadLetterEvent d) {
        ObjectNode n = JSON.createObjectNode().put("schema", SCHEMA).put("version", VERSION)
                .put("letter_id", d.letterId()).put("status", d.status().code()).put("event_id", d.eventId())
                .put("source_table", d.sourceTable()).put("row_key", d.rowKey())
                .put("theme", d.theme().orElse(null)).put("objekt_id", d.objektId().map(UUID::toString).orElse(null))
                .put("op", d.op().code()).put("column", d.column().orElse(null)).put("reason", d.reason())
                .put("geofa_message", d.geofaMessage().orElse(null)).put("attempts", d.attempts())
                .put("created_at", d.createdAt().toString()).put("resolved_at", d.resolvedAt().map(Instant::toString).orElse(null));
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write dead letter #" + d.letterId(), e);
        }
    }

    public static DeadLetterEvent read(byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !SCHEMA.equals(n.path("schema").asText()) || n.path("version").asInt() != VERSION) {
                throw new MalformedEventException("not a version " + VERSION + " " + SCHEMA);
            }
            return new DeadLetterEvent(n.path("letter_id").asLong(), DeadLetterEvent.Status.fromCode(n.path("status").asText()),
                    required(n, "event_id"), required(n, "source_table"), required(n, "row_key"), optional(n, "theme"),
                    optional(n, "objekt_id").map(UUID::fromString), Operation.fromCode(n.path("op").asText()), optional(n, "column"),
                    required(n, "reason"), optional(n, "geofa_message"), n.path("attempts").asInt(),
                    Instant.parse(required(n, "created_at")), optional(n, "resolved_at").map(Instant::parse));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedEventException("dead letter: " + e.getMessage());
        }
    }

    private static String required(JsonNode n, String field) {
        return optional(n, field).orElseThrow(() -> new MalformedEventException("dead letter: " + field + " is missing"));
    }

    private static Optional<String> optional(JsonNode n, String field) {
        return n.path(field).isTextual() ? Optional.of(n.get(field).asText()) : Optional.empty();
    }
}
