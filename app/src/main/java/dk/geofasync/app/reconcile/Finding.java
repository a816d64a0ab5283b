package dk.geofasync.app.reconcile;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One difference reconcile found, and how {@code --repair} mends it: keys, objekt_id and column
 * names only, never values.
 *
 * @param key the VK row's key (for orphans: the key in GeoFA's noegle)
 * @param objektId the GeoFA object concerned
 * @param versionsId the version of it reconcile saw in GeoFA, when it saw one
 * @param columns the GeoFA columns that differ (stale and changed objects)
 */
public record Finding(DifferenceKind kind, String key, Optional<UUID> objektId, Optional<UUID> versionsId, List<String> columns, Repair repair) {

    /** What --repair does about a finding; repairs go into VK's outbox, so the pipeline applies them in order and once. */
    public enum Repair {
        /** Nothing: a person decides. */
        NONE,
        /** The row's state goes to GeoFA: what differs is sent, a row without object is created. */
        SEND_STATE,
        /** The closed objekt_id is taken off the row and the row created anew. */
        CREATE_AGAIN,
        /** GeoFA's objekt_id is written into the row (echo-free), then its state sent. */
        WRITE_BACK_ID,
        /** The row's noegle is written into its GeoFA object, which has none (made before geofa-sync). */
        WRITE_NOEGLE,
        /** The object is deleted (closed) in GeoFA. */
        DELETE,
        /** An orphan: deleted only with --delete-orphans. */
        DELETE_ORPHAN
    }

    public Finding {
        columns = List.copyOf(columns);
    }

    /** A finding about an object whose GeoFA version does not matter to it. */
    public Finding(DifferenceKind kind, String key, Optional<UUID> objektId, List<String> columns, Repair repair) {
        this(kind, key, objektId, Optional.empty(), columns, repair);
    }
}
