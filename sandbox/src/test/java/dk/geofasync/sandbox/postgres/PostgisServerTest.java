package dk.geofasync.sandbox.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.core.config.Secret;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgisServerTest {

    @Test
    void scratchDatabaseHasPostgisAndIsDroppedOnClose() throws Exception {
        PostgisServer server = PostgisServer.shared();
        String name;
        try (ScratchDatabase db = server.createDatabase("Scratch Test");
             Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select postgis_lib_version(), current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("3.");
            name = rs.getString(2);
            assertThat(name).startsWith("gs_scratch_test_");
        }
        try (Connection c = server.admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_database where datname = '" + name + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void unreachableServerIsReportedWithHowToStartOne() {
        PostgisServer nowhere = new PostgisServer("jdbc:postgresql://127.0.0.1:1/postgres", "geofa_sync",
                Secret.of("secret-password"), "the local server");

        assertThatThrownBy(nowhere::check)
                .hasMessageContaining("No PostgreSQL with PostGIS is reachable")
                .hasMessageContaining("scripts/postgis-up.sh")
                .hasMessageContaining(PostgisServer.URL_VARIABLE)
                .hasMessageNotContaining("secret-password");
    }
}
