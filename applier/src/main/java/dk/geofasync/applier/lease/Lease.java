package dk.geofasync.applier.lease;

/**
 * What lets an applier send to GeoFA: the lease of the whole group ({@link ApplierLease}) or of the
 * partitions it applies when instances share them ({@link PartitionLeases}); checked before every
 * GeoFA statement, let go when the applier stops.
 */
public sealed interface Lease extends AutoCloseable permits ApplierLease, PartitionLeases {

    /** @throws ApplierLease.Lost when the lease is gone: the applier must stop sending at once */
    void check();

    @Override
    void close();
}
