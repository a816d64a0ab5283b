package dk.geofasync.transport.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the keys the capture triggers wrote into the outbox, as change events (sync.pump_captured_keys,
 * installed by install-triggers). Runs on the relay's connection under its lease, so its outbox rows
 * are committed before the relay reads them; each table's pump lock keeps it apart from the pump
 * install-triggers runs before it replaces a table's capture.
 */
final class KeyPump {

    /** What one call did: the keys taken, and the tables whose keys had to wait (their pump failed). */
    record Pumped(long keys, List<String> problems) {
    }

    private KeyPump() {
    }

    static Pumped take(Connection c, int maxKeys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select sync.pump_captured_keys(?)")) {
            ps.setInt(1, maxKeys);
            long keys;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                keys = rs.getLong(1);
            }
            List<String> problems = new ArrayList<>();
            for (SQLWarning w = ps.getWarnings(); w != null; w = w.getNextWarning()) {
                problems.add(w.getMessage());
            }
            return new Pumped(keys, problems);
        }
    }
}
