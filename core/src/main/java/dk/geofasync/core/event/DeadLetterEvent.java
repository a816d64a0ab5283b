package dk.geofasync.core.event;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * A dead letter as published to {@code geofa-sync.dead-letters}: which object could not go to GeoFA,
 * which column, why, and the letter's state. The event's values are not in it (they stay in VK's
 * {@code sync.dead_letter}), so the topic can be read by a ticket system without seeing object data.
 * JSON: {@link DeadLetterEventJson}.
 *
 * @param letterId the letter's number in {@code sync.dead_letter}; staff name it in {@code geofa-sync dead-letters}
 * @param eventId the change event that failed
 * @param column the column at fault, when GeoFA or the validation named one
 * @param geofaMessage GeoFA's own message, verbatim, when GeoFA refused
 * @param resolvedAt when the letter left the open state
 */
public record DeadLetterEvent(
        long letterId,
        Status status,
        String eventId,
        String sourceTable,
        String rowKey,
        Optional<String> theme,
        Optional<UUID> objektId,
        Operation op,
        Optional<String> column,
        String reason,
        Optional<String> geofaMessage,
        int attempts,
        Instant createdAt,
        Optional<Instant> resolvedAt) {

    /** Where a letter stands; staff act on {@link #OPEN} ones. */
    public enum Status {
        OPEN, RESOLVED, SUPERSEDED, DISCARDED;

        /** As {@code sync.dead_letter.status} and the JSON spell it. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status fromCode(String code) {
            return Arrays.stream(values()).filter(s -> s.code().equals(code)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown dead letter status '" + code + "'"));
        }
    }

    /** The Kafka key: the object's, as for change events, so one object's letters stay in order. */
    public String objectKey() {
        return sourceTable + ":" + rowKey;
    }
}
