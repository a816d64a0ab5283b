package dk.geofasync.applier.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A PostgreSQL advisory lock held by a connection of its own, taken within a time limit: the
 * leases' common start. A connection that may hold the lock after a failure is ended, never handed
 * back to the pool.
 */
final class SessionLock {

    /** PostgreSQL's lock_not_available: lock_timeout passed. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private SessionLock() {
    }

    /**
     * A connection holding the lock {@code lockSql} takes for {@code group} (its one parameter).
     *
     * @throws SQLException with state {@link #LOCK_NOT_AVAILABLE} when another session held it for all of {@code wait}
     */
    static Connection take(DataSource vk, String lockSql, String group, Duration wait) throws SQLException {
        Connection c = vk.getConnection();
        try (Statement s = c.createStatement(); PreparedStatement lock = c.prepareStatement(lockSql)) {
            c.setAutoCommit(true);
            s.execute("set lock_timeout = " + Math.max(1, wait.toMillis()));
            lock.setString(1, group);
            lock.execute();
            s.execute("set lock_timeout = 0");
            return c;
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                giveBack(c); // the lock was not taken: the connection may serve others (a standby asks every 2 s)
            } else {
                end(c); // it may hold the lock: never back to the pool
            }
            throw e;
        } catch (RuntimeException e) {
            end(c);
            throw e;
        }
    }

    private static void giveBack(Connection c) {
        try (c; Statement s = c.createStatement()) {
            s.execute("set lock_timeout = 0"); // a pooled connection must not keep it
        } catch (SQLException e) {
            end(c);
        }
    }

    /** Whether the session holding the locks is still there (a lock lives exactly as long as its session). */
    static boolean alive(Connection c) {
        try {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Ends the session itself, pooled or not: its locks go with it. The close after the abort hands
     * the connection back to its pool, which finds it dead and drops it (not closing it would leak it).
     */
    static void end(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // already gone
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // already gone
        }
    }
}
