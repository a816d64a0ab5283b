package dk.geofasync.applier.geofa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The GeoFA user's last minute of requests as all instances sharing the partitions see it, kept in
 * VK's {@code sync.geofa_request}: an instance lets a request go only once it recorded it there
 * while fewer than the budget were recorded in the last 60 seconds (by the database's clock, the one
 * all instances agree on). Serialised per budget with a transaction-scoped advisory lock, so two
 * instances never both take the last slot.
 */
public final class SharedRequestWindow {

    private final DataSource vk;
    private final String budget;
    private final int perMinute;

    /** @param budget whose budget: GeoFA's address and user (no secret); VK keeps only its SHA-256, not the user's name */
    public SharedRequestWindow(DataSource vk, String budget, int perMinute) {
        this.vk = vk;
        this.budget = sha256(budget);
        this.perMinute = perMinute;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * Records a request if the last minute has room for it: zero then, and the request may go; else
     * how long until the oldest recorded request leaves the minute (nothing recorded).
     *
     * @throws GeofaException.Unavailable VK cannot be asked: the request does not go (it would not be counted)
     */
    public Duration claim() {
        try (Connection c = vk.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Duration wait = claim(c);
                c.commit();
                return wait;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new GeofaException.Unavailable("the request budget shared by the instances cannot be read in VK (" + e.getMessage()
                    + "); the statement was not sent", e);
        }
    }

    private Duration claim(Connection c) throws SQLException {
        try (java.sql.Statement limits = c.createStatement()) {
            // an instance frozen or cut off in the middle of its claim holds the others back for seconds, not for ever
            limits.execute("set local lock_timeout = '5s'");
            limits.execute("set local statement_timeout = '10s'");
            limits.execute("set local idle_in_transaction_session_timeout = '10s'");
        }
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext('geofa-sync request budget ' || ?))")) {
            lock.setString(1, budget);
            lock.execute();
        }
        try (PreparedStatement old = c.prepareStatement(
                "delete from sync.geofa_request where budget = ? and sent_at <= clock_timestamp() - interval '60 seconds'")) {
            old.setString(1, budget);
            old.executeUpdate();
        }
        try (PreparedStatement minute = c.prepareStatement("""
                select count(*), extract(epoch from (min(sent_at) + interval '60 seconds' - clock_timestamp())) * 1000
                  from sync.geofa_request where budget = ?""")) {
            minute.setString(1, budget);
            try (ResultSet rs = minute.executeQuery()) {
                rs.next();
                if (rs.getLong(1) >= perMinute) {
                    return Duration.ofMillis(Math.max(1, (long) Math.ceil(rs.getDouble(2))));
                }
            }
        }
        try (PreparedStatement sent = c.prepareStatement("insert into sync.geofa_request (budget) values (?)")) {
            sent.setString(1, budget);
            sent.executeUpdate();
        }
        return Duration.ZERO;
    }
}
