package dk.geofasync.applier.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.core.config.Secret;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The applier lease as a fence: once its connection is gone, not one more statement reaches GeoFA. */
class ApplierLeaseTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final PostgisDatabase geofaDb = new PostgisDatabase();

    static FakeGeofa fake;

    @BeforeAll
    static void start() {
        SyncSchema.migrate(vk.dataSource());
        fake = FakeGeofa.start(geofaDb.config(), FakeGeofa.Settings.defaults());
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @Test
    void applierWhoseLeaseConnectionWasKilledSendsNothingMoreWhileASecondTakesOver() {
        String group = "fence-test";
        String insert = "insert into fkg.t_5800_fac_pkt (cvr_kode, bruger_id, oprindkode, statuskode, off_kode, facil_ty_k, kvalitet_k, noegle, geometri) "
                + "values (29189900, 'test', 7, 3, 1, 3012, 9, :k, st_geomfromgeojson('{\"type\":\"MultiPoint\",\"coordinates\":[[553000,6175000]],"
                + "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:25832\"}}}'))";
        try (ApplierLease first = ApplierLease.take(vk.dataSource(), group, Duration.ofSeconds(1))) {
            GeofaClient client = new GeofaClient(GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox")), Clock.systemUTC(), first::check);
            client.execute(insert, List.of(Map.of("k", "before")));

            vk.execute("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted "
                    + "and database = (select oid from pg_database where datname = current_database())");

            assertThatThrownBy(() -> client.execute(insert, List.of(Map.of("k", "after")))).isInstanceOf(ApplierLease.Lost.class)
                    .hasMessageContaining(group);
            try (ApplierLease second = ApplierLease.take(vk.dataSource(), group, Duration.ofSeconds(1))) {
                assertThat(second.group()).isEqualTo(group);
            }
        }
        assertThat(fake.current("t_5800_fac_pkt")).extracting(v -> v.text("noegle").orElseThrow()).containsExactly("before");
    }
}
