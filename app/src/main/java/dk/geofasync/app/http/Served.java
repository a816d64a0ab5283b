package dk.geofasync.app.http;

import dk.geofasync.app.service.HealthChecks;
import dk.geofasync.app.service.InstanceRole;
import dk.geofasync.app.service.SyncMetrics;
import dk.geofasync.app.status.Activity;
import dk.geofasync.app.status.SyncStatus;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the read-only endpoints show: the running service's state, or a standby's reason for waiting. */
public sealed interface Served {

    /**
     * The service applying.
     *
     * @param activity the charts of the last days for the page (empty: the page goes without them)
     * @param role     what the instance does for its group, on every JSON endpoint
     */
    record Active(Supplier<SyncStatus> status, Supplier<Optional<Activity>> activity, BooleanSupplier live, HealthChecks ready,
                  SyncMetrics metrics, Supplier<InstanceRole> role) implements Served {
    }

    /** An instance on standby (another instance applies): alive, not ready. */
    record Standby(String why) implements Served {
    }
}
