package dk.geofasync.applier.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * One applier per consumer group at a time. Two processes applying the same events side by side
 * (a service and a manual {@code once}, two services) could both find a create unanswered and both
 * send it; so the applier holds a PostgreSQL advisory lock on a connection of its own for as long
 * as it runs. When the process dies, its connection closes and the lock is free at once.
 *
 * <p>The lease is also a fence: {@link #check()} runs before every GeoFA statement, so an applier
 * whose lease connection broke (a restarted VK, a killed backend, a network cut) sends nothing more,
 * while a second applier may already have taken the lease over. What remains is the moment between
 * the check and the request, a few milliseconds.
 */
public final class ApplierLease implements Lease {

    private final Connection connection;
    private final String group;

    private ApplierLease(Connection connection, String group) {
        this.connection = connection;
        this.group = group;
    }

    /**
     * Takes the lease of {@code group}, waiting up to {@code wait} for another holder to let go
     * (PostgreSQL waits, with {@code lock_timeout}).
     *
     * @throws Held another process holds it (the message says how to find it)
     */
    public static ApplierLease take(DataSource vk, String group, Duration wait) {
        try {
            return new ApplierLease(SessionLock.take(vk, "select pg_advisory_lock(hashtext('geofa-sync applier ' || ?))", group, wait), group);
        } catch (SQLException e) {
            if (SessionLock.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new Held("another geofa-sync process is applying for consumer group " + group
                        + " (service or once); stop it first. To find it: select pid, application_name, client_addr, backend_start "
                        + "from pg_stat_activity join pg_locks using (pid) where locktype = 'advisory'", e);
            }
            throw new IllegalStateException("cannot take the applier lease of " + group + ": " + e.getMessage(), e);
        }
    }

    public String group() {
        return group;
    }

    /** Another process holds the lease (a standby may wait for it). */
    public static final class Held extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Held(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The lease was lost: its connection is gone, and another applier may hold the lease now. */
    public static final class Lost extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Lost(String message) {
            super(message);
        }
    }

    /**
     * Proves the lease is still held: its session is alive (the lock lives exactly as long as the
     * session, and this applier never lets go of it while running).
     *
     * @throws Lost when it is not; the applier must stop at once
     */
    public synchronized void check() {
        if (!SessionLock.alive(connection)) {
            throw new Lost("the applier lease of consumer group " + group + " was lost (its VK connection is gone); this applier stops, "
                    + "since another may have taken over");
        }
    }

    /** Lets go; where the unlock fails, the session itself ends (a pooled connection must not keep the lock). */
    @Override
    public synchronized void close() {
        try (PreparedStatement ps = connection.prepareStatement("select pg_advisory_unlock(hashtext('geofa-sync applier ' || ?))")) {
            ps.setString(1, group);
            ps.execute();
            connection.close();
        } catch (SQLException e) {
            SessionLock.end(connection);
        }
    }
}
