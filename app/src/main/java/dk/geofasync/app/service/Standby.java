package dk.geofasync.app.service;

import dk.geofasync.app.http.Served;
import dk.geofasync.app.http.ServiceEndpoints;
import dk.geofasync.applier.lease.ApplierLease;
import dk.geofasync.applier.lease.Lease;
import dk.geofasync.applier.lease.PartitionLeases;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second instance of the service for the same consumer group waits as a standby instead of
 * exiting: it serves its role on the HTTP port (alive, not ready), takes the applier lease the moment
 * the active instance lets go of it (its VK connection closes when the process dies, even by
 * SIGKILL), and then starts as the active service. The relay needs nothing of this: its own lease
 * already makes every relay but one wait.
 *
 * <p>Instances that share the partitions ({@code --share-partitions}) are all active at once; one
 * waits here only while a process applies the group alone ({@code once}, a {@code run} without sharing).
 */
public final class Standby {

    private static final Logger LOG = LoggerFactory.getLogger(Standby.class);
    /** How long one try for the lease waits in PostgreSQL: the takeover comes at most this late, and a stop is seen this soon. */
    static final Duration TRY = Duration.ofSeconds(2);

    private Standby() {
    }

    /**
     * The service, started as soon as this instance may apply.
     *
     * @param stopping whether the process is being stopped meanwhile (then: empty)
     */
    public static Optional<SyncService> startWhenActive(SyncService.Settings settings, BooleanSupplier stopping) throws IOException {
        String group = settings.pipeline().applierGroup();
        Optional<Lease> free = Optional.empty();
        try {
            free = Optional.of(take(settings));
        } catch (ApplierLease.Held held) {
            // another instance applies: wait below
        }
        if (free.isPresent()) {
            return Optional.of(new SyncService(settings, free));
        }
        String why = settings.applying() == SyncService.Applying.SHARED
                ? "a geofa-sync process applies consumer group " + group + " alone (once, or run without --share-partitions); this one starts when it stops"
                : "another geofa-sync instance applies for consumer group " + group + "; this one takes over when it stops";
        LOG.info("standby: {}", why);
        Optional<Lease> lease = Optional.empty();
        Optional<ServiceEndpoints> page = standbyPage(settings, why);
        try {
            while (lease.isEmpty() && !stopping.getAsBoolean()) {
                try {
                    lease = Optional.of(take(settings));
                } catch (ApplierLease.Held stillHeld) {
                    // the active instance goes on
                } catch (RuntimeException e) {
                    LOG.warn("standby: cannot try for the applier lease ({}); trying again", e.getMessage());
                    sleep(TRY);
                }
            }
        } finally {
            page.ifPresent(ServiceEndpoints::close);
        }
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        LOG.info("standby: the applier lease of {} is free; taking over as the active instance", group);
        return Optional.of(new SyncService(settings, lease));
    }

    /** The group's lease, or when sharing the partitions, a share of it (the partitions' leases come with Kafka's assignment). */
    private static Lease take(SyncService.Settings settings) {
        return settings.applying() == SyncService.Applying.SHARED
                ? PartitionLeases.join(settings.pipeline().vk(), settings.pipeline().applierGroup(), TRY)
                : ApplierLease.take(settings.pipeline().vk(), settings.pipeline().applierGroup(), TRY);
    }

    /**
     * The standby's endpoints; without them (logged) when the port is taken, as by the active instance
     * on the same machine: waiting for the lease matters more, and the port is free once it is needed.
     */
    private static Optional<ServiceEndpoints> standbyPage(SyncService.Settings settings, String why) {
        try {
            return Optional.of(ServiceEndpoints.start(settings.http(), new Served.Standby(why)));
        } catch (RuntimeException e) {
            LOG.warn("standby: cannot serve its page on {} ({}); waiting all the same", settings.http(), e.getMessage());
            return Optional.empty();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
