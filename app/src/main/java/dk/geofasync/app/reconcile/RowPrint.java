package dk.geofasync.app.reconcile;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One object's fingerprint on one side: the VK row key it belongs to, the objekt_id it names, the
 * GeoFA version and noegle (GeoFA's side only), the hash of its compared values and a short hash
 * per compared column (in the table's column order). No values: a fingerprint never carries
 * personal data.
 */
record RowPrint(String key, Optional<String> objektId, Optional<UUID> versionsId, Optional<String> noegle, long hash, List<String> columnHashes) {

    RowPrint {
        columnHashes = List.copyOf(columnHashes);
    }

    /** The objekt_id as a UUID, when it is one. */
    Optional<UUID> objekt() {
        return objektId.flatMap(RowPrint::uuid);
    }

    static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
