package dk.geofasync.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.DataSources;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second instance waits as a standby, says so, and takes over within seconds when the active one
 * stops. Half a minute, so with the tests of several brokers and instances: {@code -Pcluster}.
 */
@Tag("cluster")
class StandbyTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void secondInstanceWaitsAsStandbyAndTakesOverWhenTheActiveOneStops() throws Exception {
        try (FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults());
             HikariDataSource vk = DataSources.pooled(db.config().withMaxPoolSize(24), "standby-test")) {
            LocalPipeline.Settings pipeline = SandboxPipeline.prepare(db, kafka, vk, fake, 5);
            int standbyPort = freePort();
            SyncService active = new SyncService(SyncService.Settings.of(pipeline, new InetSocketAddress("127.0.0.1", 0)));
            AtomicBoolean stopping = new AtomicBoolean();
            CompletableFuture<Optional<SyncService>> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return Standby.startWhenActive(SyncService.Settings.of(pipeline, new InetSocketAddress("127.0.0.1", standbyPort)), stopping::get);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                String standby = "http://127.0.0.1:" + standbyPort;
                Await.until("the standby's page", Duration.ofSeconds(30), () -> get(standby + "/health/live").map(HttpResponse::statusCode).orElse(0) == 200);
                assertThat(get(standby + "/health/live").orElseThrow().body()).contains("\"role\" : \"standby\"");
                assertThat(get(standby + "/health/ready").orElseThrow().statusCode()).as("not ready while on standby").isEqualTo(503);
                assertThat(get(standby + "/").orElseThrow().body()).contains("Standby", "applies for consumer group");
                assertThat(get(standby + "/metrics").orElseThrow().body()).contains("geofa_sync_active 0.0");
                assertThat(get("http://127.0.0.1:" + active.httpPort() + "/metrics").orElseThrow().body()).contains("geofa_sync_active 1.0");
                assertThat(get("http://127.0.0.1:" + active.httpPort() + "/health/live").orElseThrow().body()).contains("\"role\" : \"active\"");
                assertThat(second).isNotDone();

                long stopped = System.nanoTime();
                active.close();
                Optional<SyncService> took = second.get(10, TimeUnit.SECONDS);
                System.out.printf("StandbyTest: the standby took over %d ms after the active instance stopped%n", (System.nanoTime() - stopped) / 1_000_000);
                assertThat(took).isPresent();
                try (SyncService now = took.get()) {
                    db.execute("insert into vk.facilitet_punkt (id, facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, geom) values "
                            + "(951, 1012, 9, 'Efter skiftet', 3, 1, 7, 'SRID=25832;POINT(550000 6170000)')");
                    Await.until("the new active instance applies", Duration.ofSeconds(30),
                            () -> count("select count(*) from vk.facilitet_punkt where id = 951 and objekt_id is not null") == 1);
                    assertThat(get("http://127.0.0.1:" + standbyPort + "/health/live").orElseThrow().body()).contains("\"role\" : \"active\"");
                }
            } finally {
                stopping.set(true);
                active.close();
                second.thenAccept(s -> s.ifPresent(SyncService::close));
            }
        }
    }

    private static Optional<HttpResponse<String>> get(String url) {
        try {
            return Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
