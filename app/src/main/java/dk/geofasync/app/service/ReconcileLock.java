package dk.geofasync.app.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group's reconcile lock, a VK session advisory lock: one reconcile at a time among the
 * instances sharing a consumer group, and between the schedule and staff asking for one.
 */
final class ReconcileLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLock.class);

    private final Connection connection;
    private final String group;

    private ReconcileLock(Connection connection, String group) {
        this.connection = connection;
        this.group = group;
    }

    /** The lock, or empty when another reconcile holds it. */
    static Optional<ReconcileLock> tryTake(DataSource vk, String group) throws SQLException {
        Connection c = vk.getConnection();
        try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_lock(hashtext('geofa-sync reconcile ' || ?))")) {
            lock.setString(1, group);
            try (ResultSet rs = lock.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return Optional.of(new ReconcileLock(c, group));
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.close();
        return Optional.empty();
    }

    /** Lets go of the lock; when that fails the session ends instead, so the pool cannot hand the lock on. */
    @Override
    public void close() {
        try (Connection c = connection) {
            try (PreparedStatement unlock = c.prepareStatement("select pg_advisory_unlock(hashtext('geofa-sync reconcile ' || ?))")) {
                unlock.setString(1, group);
                unlock.execute();
            } catch (SQLException e) {
                try {
                    c.abort(Runnable::run);
                } catch (SQLException | RuntimeException gone) {
                    // already gone, and the lock with it
                }
                LOG.warn("reconcile: could not let go of the reconcile lock ({}); its VK session was ended instead", e.getMessage());
            }
        } catch (SQLException e) {
            LOG.debug("reconcile: closing the lock's connection: {}", e.getMessage());
        }
    }
}
