package dk.geofasync.sandbox.geofa;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * {@code GET /api/v2/sql/fkg?q=<select>&srs=25832}: a read-only select answered as a GeoJSON
 * FeatureCollection, each row a feature with its geometry and the other columns as properties; a
 * select without a geometry column gives features whose geometry is null, as GC2 answers it.
 */
final class GeoJsonReadEndpoint implements HttpHandler {

    private final DataSource dataSource;

    GeoJsonReadEndpoint(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether the select yields a PostGIS geometry column (st_asgeojson of a row needs one). */
    private static boolean hasGeometry(Statement s, String select) throws SQLException {
        try (ResultSet rs = s.executeQuery("select * from (" + select + ") r limit 0")) {
            java.sql.ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if ("geometry".equals(meta.getColumnTypeName(i))) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        JsonExchange json = new JsonExchange(exchange);
        if (!json.method().equals("GET")) {
            json.error(405, "use GET");
            return;
        }
        String q = json.query().get("q");
        NamedStatement statement;
        try {
            statement = NamedStatement.parse(q);
            if (statement.kind() != NamedStatement.Kind.SELECT || !statement.parameterNames().isEmpty()) {
                throw new IllegalArgumentException("the v2 SQL API reads: give one select without parameters");
            }
        } catch (IllegalArgumentException e) {
            json.error(400, e.getMessage());
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("set local search_path = fkg, public");
                String feature = hasGeometry(s, statement.jdbcSql()) ? "st_asgeojson(r.*)::json"
                        : "json_build_object('type', 'Feature', 'geometry', null, 'properties', to_json(r))";
                String sql = "select coalesce(json_agg(" + feature + "), '[]'::json)::text from (" + statement.jdbcSql() + ") r";
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    json.text(200, "application/geo+json", "{\"type\":\"FeatureCollection\",\"features\":" + rs.getString(1) + "}");
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            json.error(500, e.getMessage());
        }
    }
}
