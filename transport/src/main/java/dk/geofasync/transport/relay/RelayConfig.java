package dk.geofasync.transport.relay;

import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.Mapping;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How a relay runs.
 *
 * @param relayName names the relay's progress row and lease; relays of one name never run at once
 * @param topic the topic of change events
 * @param batchSize outbox rows per Kafka round trip
 * @param pollInterval how long to wait for a NOTIFY before looking anyway (the fallback when one is missed)
 * @param geometryColumns per VK table (schema.table), the column whose hex EWKB the relay turns into GeoJSON
 * @param maxEventBytes the largest event the relay sends; a larger one goes to dead letters instead of
 *                      being refused by Kafka batch after batch (Kafka's own default limit is 1 MiB)
 * @param withheldColumns per VK table (schema.table), the columns whose values never leave VK on the
 *                      topic (the mapping's {@code sensitive} columns): the event names them, the
 *                      applier reads them from VK's outbox when it writes to GeoFA
 */
public record RelayConfig(String relayName, String topic, int batchSize, Duration pollInterval, Map<String, String> geometryColumns,
                          int maxEventBytes, Map<String, Set<String>> withheldColumns) {

    public static final String DEFAULT_TOPIC = "geofa-sync.changes";
    /** Below Kafka's default record limit (1,048,576 bytes for the producer, 1,048,588 for the broker), with room for headers. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1_000_000;

    public RelayConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("relay batch size must be at least 1, got " + batchSize);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("relay poll interval must be positive, got " + pollInterval);
        }
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("relay max event bytes must be at least 1, got " + maxEventBytes);
        }
        geometryColumns = Map.copyOf(geometryColumns);
        Map<String, Set<String>> withheld = new LinkedHashMap<>();
        withheldColumns.forEach((table, columns) -> withheld.put(table, Set.copyOf(columns)));
        withheldColumns = Map.copyOf(withheld);
    }

    public RelayConfig(String relayName, String topic, int batchSize, Duration pollInterval, Map<String, String> geometryColumns) {
        this(relayName, topic, batchSize, pollInterval, geometryColumns, DEFAULT_MAX_EVENT_BYTES, Map.of());
    }

    /**
     * Defaults for a mapping: relay "main", topic geofa-sync.changes, batches of 2,000, a look every
     * 100 ms (one probe of the small unpublished-rows index) unless a NOTIFY comes first.
     */
    public static RelayConfig forMapping(Mapping mapping) {
        Map<String, String> geometry = new LinkedHashMap<>();
        mapping.tables().forEach(t -> t.columnFromGeofa(FkgTheme.GEOMETRY_COLUMN).map(ColumnMapping::vkColumn)
                .ifPresent(column -> geometry.put(t.table().toString(), column)));
        Map<String, Set<String>> withheld = new LinkedHashMap<>();
        mapping.tables().forEach(t -> {
            Set<String> columns = new LinkedHashSet<>();
            t.sensitiveColumns().forEach(g -> t.columnFromGeofa(g).map(ColumnMapping::vkColumn).ifPresent(columns::add));
            if (!columns.isEmpty()) {
                withheld.put(t.table().toString(), columns);
            }
        });
        return new RelayConfig("main", DEFAULT_TOPIC, 2_000, Duration.ofMillis(100), geometry, DEFAULT_MAX_EVENT_BYTES, withheld);
    }

    public RelayConfig withTopic(String newTopic) {
        return new RelayConfig(relayName, newTopic, batchSize, pollInterval, geometryColumns, maxEventBytes, withheldColumns);
    }

    public RelayConfig withBatchSize(int size) {
        return new RelayConfig(relayName, topic, size, pollInterval, geometryColumns, maxEventBytes, withheldColumns);
    }

    public RelayConfig withMaxEventBytes(int bytes) {
        return new RelayConfig(relayName, topic, batchSize, pollInterval, geometryColumns, bytes, withheldColumns);
    }
}
