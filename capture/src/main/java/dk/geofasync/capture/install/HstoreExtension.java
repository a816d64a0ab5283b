package dk.geofasync.capture.install;

import dk.geofasync.core.mapping.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Where the hstore extension lives in the VK database; capture SQL pins its search_path to it. */
public final class HstoreExtension {

    private HstoreExtension() {
    }

    /** The schema of extension hstore; refuses a missing extension or a name it could not quote safely. */
    public static String schema(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'hstore'");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("extension hstore is missing: run geofa-sync migrate");
            }
            String schema = rs.getString(1);
            SqlIdentifier.quote(schema);
            return schema;
        }
    }
}
