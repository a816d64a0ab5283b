package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * One version of an object as the fake GeoFA holds it, current or closed, for tests to check
 * what reached GeoFA. {@code values} holds every column a client writes; geometry as GeoJSON.
 */
public record GeofaVersion(UUID objektId, UUID versionsId, OffsetDateTime systidFra, Optional<OffsetDateTime> systidTil,
                           OffsetDateTime oprettet, JsonNode values) {

    public boolean current() {
        return systidTil.isEmpty();
    }

    /** A column's value as text; empty when null. */
    public Optional<String> text(String column) {
        JsonNode v = values.get(column);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        return Optional.of(v.isValueNode() ? v.asText() : v.toString());
    }
}
