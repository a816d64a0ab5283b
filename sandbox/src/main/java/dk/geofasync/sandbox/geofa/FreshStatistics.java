package dk.geofasync.sandbox.geofa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the planner's statistics of a theme's tables current after a bulk load through the API,
 * as autovacuum does on a real GeoFA over its days: the fake takes 100,000 objects in a minute, and
 * with the statistics of its empty tables PostgreSQL updates a theme view by scanning the whole
 * theme table for each row (a merge join estimated at one row), 20 ms a row instead of 0.6.
 */
final class FreshStatistics {

    private static final Pattern INSERT_INTO = Pattern.compile("^\\s*insert\\s+into\\s+(?:fkg\\.)?(\\w+)", Pattern.CASE_INSENSITIVE);
    /** Rows inserted into a theme in one request that make its statistics stale. */
    private static final int BULK = 1_000;
    private static final Duration AT_MOST_EVERY = Duration.ofSeconds(30);

    private long lastAnalyzedNanos = System.nanoTime() - AT_MOST_EVERY.toNanos();

    /** After a committed request: analyzes the tables behind a theme view that took a bulk of rows (at most every few seconds). */
    void afterInsert(Connection c, String sql, int rows) throws SQLException {
        Matcher m = INSERT_INTO.matcher(sql);
        if (rows < BULK || !m.find()) {
            return;
        }
        synchronized (this) {
            if (System.nanoTime() - lastAnalyzedNanos < AT_MOST_EVERY.toNanos()) {
                return;
            }
            lastAnalyzedNanos = System.nanoTime();
        }
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select distinct table_name from information_schema.view_table_usage "
                + "where view_schema = 'fkg' and view_name = ? and table_schema = 'fkg'")) {
            ps.setString(1, m.group(1).toLowerCase(java.util.Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String table : tables) {
                if (table.matches("\\w+")) { // names from the catalogue's own views; checked all the same, as they go into SQL text
                    s.execute("analyze fkg." + table);
                }
            }
        }
    }
}
