package dk.geofasync.applier.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * One applier per consumer group at a time. Two processes applying the same events side by side
 * (a service and a manual {@code once}, two services) could both find a create unanswered and both
 * send it; so the applier holds a PostgreSQL advisory lock on a connection of its own for as long
 * as it runs. When the process dies, its connection closes and the lock is free at once.
 */
public final class ApplierLease implements AutoCloseable {

    private final Connection connection;
    private final String group;

    private ApplierLease(Connection connection, String group) {
        this.connection = connection;
        this.group = group;
    }

    /**
     * Takes the lease of {@code group}, waiting up to {@code wait} for another holder to let go.
     *
     * @throws IllegalStateException another process holds it (the message says how to find it)
     */
    public static ApplierLease take(DataSource vk, String group, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            Connection c = vk.getConnection();
            try {
                c.setAutoCommit(true);
                while (true) {
                    if (tryLock(c, group)) {
                        return new ApplierLease(c, group);
                    }
                    if (System.nanoTime() > deadline) {
                        c.close();
                        throw new IllegalStateException("another geofa-sync process is applying for consumer group " + group
                                + " (service or once); stop it first. To find it: select pid, application_name, client_addr, backend_start "
                                + "from pg_stat_activity join pg_locks using (pid) where locktype = 'advisory'");
                    }
                    Thread.sleep(200);
                }
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the applier lease of " + group + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the applier lease of " + group, e);
        }
    }

    private static boolean tryLock(Connection c, String group) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(hashtext('geofa-sync applier ' || ?))")) {
            ps.setString(1, group);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public String group() {
        return group;
    }

    /** Lets go (closing the connection frees the lock even when the unlock is not reached). */
    @Override
    public void close() {
        try (connection) {
            try (PreparedStatement ps = connection.prepareStatement("select pg_advisory_unlock(hashtext('geofa-sync applier ' || ?))")) {
                ps.setString(1, group);
                ps.execute();
            }
        } catch (SQLException e) {
            // the connection is gone, and with it the lock
        }
    }
}
