package dk.geofasync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.sandbox.geofa.FakeGeofaDatabase;
import dk.geofasync.sandbox.geofa.GeofaUser;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.vk.SampleVk;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sandbox works only in a database it made or found empty: a production VK configured by mistake keeps its data. */
class SandboxMarkTest {

    @RegisterExtension
    static final PostgisDatabase production = new PostgisDatabase();
    @RegisterExtension
    static final PostgisDatabase empty = new PostgisDatabase();

    @Test
    void resetRefusesADatabaseHoldingDataItDidNotMake() throws SQLException {
        production.execute("create schema vk; create table vk.facilitet_punkt (id int primary key, navn text); "
                + "insert into vk.facilitet_punkt values (1, 'staff data'); create schema sync; create table sync.outbox (id int)");
        FakeGeofaDatabase geofa = new FakeGeofaDatabase(production.dataSource(), FkgCatalogue.standard(), List.of(GeofaUser.vejle()));

        assertThatThrownBy(() -> Sandbox.reset(production.dataSource(), geofa, SampleVk.vejleMapping(), 10, Sandbox.DEFAULT_SEED))
                .hasMessageContaining(production.database().name()).hasMessageContaining("not a geofa-sync sandbox");
        assertThatThrownBy(geofa::reset).hasMessageContaining("not a geofa-sync sandbox");

        assertThat(one(production, "select navn from vk.facilitet_punkt")).isEqualTo("staff data");
        assertThat(one(production, "select count(*) from sync.outbox")).isEqualTo("0");
    }

    @Test
    void emptyDatabaseBecomesTheSandboxesAndCanBeResetAgain() throws SQLException {
        FakeGeofaDatabase geofa = new FakeGeofaDatabase(empty.dataSource(), FkgCatalogue.standard(), List.of(GeofaUser.vejle()));
        Sandbox.reset(empty.dataSource(), geofa, SampleVk.vejleMapping(), 10, Sandbox.DEFAULT_SEED);
        empty.execute("create schema sync; create table sync.outbox (id int)"); // what migrate leaves

        Sandbox.reset(empty.dataSource(), geofa, SampleVk.vejleMapping(), 10, Sandbox.DEFAULT_SEED);

        assertThat(one(empty, "select count(*) from vk.facilitet_punkt")).isEqualTo("10");
        assertThat(one(empty, "select to_regclass('sync.outbox') is null")).as("the sandbox's own sync schema was dropped").isEqualTo("t");
    }

    private static String one(PostgisDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
