package dk.geofasync.applier.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The applier's leases when several instances share a consumer group's partitions: a partition's
 * events are applied only by the instance holding that partition's lease, a PostgreSQL advisory lock
 * on one connection of the instance's own. Kafka's group assignment says who should apply a
 * partition; the lease says who may: an instance Kafka has already dropped from the group (a long
 * pause) still holds its leases until it sees the loss or its connection closes, and the new owner
 * waits for them, so no two instances ever send one object's create or updates side by side.
 *
 * <p>The instance also holds the group's lease in shared mode, which lets other sharing instances in
 * and keeps out a process that applies the whole group alone ({@code once}, a {@code run} without
 * sharing), as {@link ApplierLease} keeps those out of each other's way.
 */
public final class PartitionLeases implements Lease {

    private final Connection connection;
    private final String group;
    private final SortedSet<Integer> held = new TreeSet<>();
    private boolean closed;

    private PartitionLeases(Connection connection, String group) {
        this.connection = connection;
        this.group = group;
    }

    /**
     * Takes the group's lease in shared mode, waiting up to {@code wait} for a process that applies
     * the group alone.
     *
     * @throws ApplierLease.Held such a process runs
     */
    public static PartitionLeases join(DataSource vk, String group, Duration wait) {
        try {
            return new PartitionLeases(SessionLock.take(vk, "select pg_advisory_lock_shared(hashtext('geofa-sync applier ' || ?))", group, wait), group);
        } catch (SQLException e) {
            if (SessionLock.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new ApplierLease.Held("a geofa-sync process applies consumer group " + group + " alone (once, or run without "
                        + "--share-partitions); stop it before starting instances that share the partitions", e);
            }
            throw new IllegalStateException("cannot take the shared applier lease of " + group + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes the lease of {@code partition} if no other instance holds it; true when this instance
     * holds it now. Never waits: an instance waiting here would stall its other partitions.
     */
    public synchronized boolean tryTake(int partition) {
        if (held.contains(partition)) {
            return true;
        }
        if (closed) {
            return false;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "select pg_try_advisory_lock(hashtext('geofa-sync applier partition ' || ?), ?)")) {
            ps.setString(1, group);
            ps.setInt(2, partition);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    held.add(partition);
                    return true;
                }
                return false;
            }
        } catch (SQLException e) {
            throw lost("taking partition " + partition + "'s lease failed: " + e.getMessage());
        }
    }

    /** Lets go of {@code partition}: call only once nothing of it is being applied. Nothing to do when it is not held. */
    public synchronized void release(int partition) {
        if (!held.remove(partition) || closed) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "select pg_advisory_unlock(hashtext('geofa-sync applier partition ' || ?), ?)")) {
            ps.setString(1, group);
            ps.setInt(2, partition);
            ps.execute();
        } catch (SQLException e) {
            throw lost("letting go of partition " + partition + "'s lease failed: " + e.getMessage());
        }
    }

    /** The partitions this instance holds, for status and health. */
    public synchronized Set<Integer> held() {
        return Set.copyOf(held);
    }

    /**
     * The fence before every GeoFA statement: the connection holding the locks is alive (a lock lives
     * exactly as long as its session, and a partition is released only between batches).
     *
     * @throws ApplierLease.Lost when it is not; the instance must stop applying at once
     */
    public synchronized void check() {
        if (!SessionLock.alive(connection)) {
            throw lost("their VK connection is gone");
        }
    }

    private ApplierLease.Lost lost(String why) {
        return new ApplierLease.Lost("the partition leases " + held + " of consumer group " + group + " are not sure any more (" + why
                + "); this instance stops applying, since others may have taken over");
    }

    /** Lets go of everything (closing the connection frees the locks even when the unlock is not reached). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        held.clear();
        try (Statement s = connection.createStatement()) {
            s.execute("select pg_advisory_unlock_all()");
            connection.close();
        } catch (SQLException e) {
            SessionLock.end(connection); // the locks may still be held: the connection must not go back to the pool
        }
    }
}
