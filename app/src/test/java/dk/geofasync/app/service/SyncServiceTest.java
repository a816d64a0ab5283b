package dk.geofasync.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.DataSources;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import com.zaxxer.hikari.HikariDataSource;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code geofa-sync run} as a whole: the pipeline carries changes in near real time while the
 * service answers on HTTP: status page (also in a real headless Chromium, where installed),
 * status JSON, liveness, readiness with each system's state, Prometheus metrics, and a run row.
 */
class SyncServiceTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void serviceSyncsInNearRealTimeAndShowsStatusHealthAndMetrics() throws Exception {
        FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults());
        try (HikariDataSource vk = DataSources.pooled(db.config().withMaxPoolSize(12), "service-test")) {
            LocalPipeline.Settings pipeline = SandboxPipeline.prepare(db, kafka, vk, fake, 10);
            SyncService.Settings settings = SyncService.Settings.of(pipeline, new InetSocketAddress("127.0.0.1", 0));

            try (SyncService service = new SyncService(settings)) {
                String base = "http://127.0.0.1:" + service.httpPort();
                db.execute("insert into vk.facilitet_punkt (id, facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, geom) values "
                        + "(801, 1012, 9, 'Ny bænk', 3, 1, 7, 'SRID=25832;POINT(550000 6170000)'), "
                        + "(802, 1012, 9, 'Forkert <kode>', 3, 99, 7, 'SRID=25832;POINT(550100 6170100)')");
                Await.until("801 linked and 802 dead-lettered", Duration.ofSeconds(20),
                        () -> count("select count(*) from vk.facilitet_punkt where id = 801 and objekt_id is not null") == 1
                                && count("select count(*) from sync.dead_letter where row_key = '802'") == 1);

                assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
                HttpResponse<String> ready = get(base + "/health/ready");
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(json(ready.body()).at("/checks/geofa/status").asText()).isEqualTo("UP");

                HttpResponse<String> page = get(base + "/");
                assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
                assertThat(page.body()).contains("Needs attention", "off_kode = 99 is not a value of GeoFA&#39;s code list", "vk.facilitet_punkt")
;
                assertThat(json(get(base + "/status.json").body()).path("dead_letters_open").asInt()).isEqualTo(1);
                Await.until("the metrics count the dead letter", Duration.ofSeconds(15),
                        () -> get(base + "/metrics").body().contains("geofa_sync_dead_letters_open 1.0"));
                assertThat(get(base + "/metrics").body()).contains("geofa_sync_applier_events_total{outcome=\"created\"}",
                        "geofa_sync_relay_published_total", "jvm_memory_used_bytes");
                JsonNode budget = json(get(base + "/status.json").body()).path("geofa_budget");
                assertThat(budget.path("per_minute").asInt()).as("the default budget").isEqualTo(110);
                assertThat(budget.path("requests_since_start").asLong()).as("the applier's requests are counted").isPositive();
                assertThat(budget.path("events_per_request_measured").asBoolean()).isTrue();
                assertThat(get(base + "/metrics").body()).contains("geofa_sync_geofa_requests_total", "geofa_sync_geofa_throttled_total 0.0",
                        "geofa_sync_geofa_budget_per_minute 110.0", "geofa_sync_drain_seconds_estimate");
                assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as("read-only").isEqualTo(405);

                assertThat(page.body()).as("the charts of the last days and what to do first").contains("What needs a person first",
                        "<svg id=\"applied-vk.facilitet_punkt\"", "<svg id=\"lag\"", "<table id=\"letters-by-reason\">", "changes</title></rect>");
                headlessChromiumShows(base + "/", "off_kode = 99 is not a value of GeoFA's code list");

                fake.close();
                Await.until("not ready without GeoFA", Duration.ofSeconds(20), () -> get(base + "/health/ready").statusCode() == 503);
                HttpResponse<String> notReady = get(base + "/health/ready");
                assertThat(json(notReady.body()).at("/checks/geofa/status").asText()).isEqualTo("DOWN");
                assertThat(json(notReady.body()).at("/checks/vk/status").asText()).isEqualTo("UP");
            }
            assertThat(count("select count(*) from sync.run where kind = 'service' and outcome = 'partial' and created_count >= 1 "
                    + "and dead_letter_count = 1")).as("the service's run is closed with its counts").isEqualTo(1);
            assertThat(count("select count(*) from sync.change_log c join sync.run r on r.id = c.run_id where c.row_key = '801' "
                    + "and r.kind = 'service'")).as("the create is logged under the service's run").isPositive();
            assertThat(count("select count(*) from sync.inbox i join sync.run r on r.id = i.run_id where i.row_key = '802' "
                    + "and i.state = 'dead_lettered' and r.kind = 'service'")).as("so is the event that went to dead letters").isEqualTo(1);
        } finally {
            fake.close();
        }
    }

    /** The page in a real browser (Debian's chromium, headless), when installed: what staff would see. */
    private static void headlessChromiumShows(String url, String text) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            System.out.println("SyncServiceTest: /usr/bin/chromium not installed; the page was checked over HTTP only");
            return;
        }
        Path profile = Files.createTempDirectory("chromium-profile");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
                "--dump-dom", url).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dom).as("the DOM Chromium rendered").contains("<table id=\"dead-letters\">", "<svg id=\"lag\"", text);
        // a picture for people: target/status-page.png
        Path png = Path.of("target", "status-page.png").toAbsolutePath();
        Process shot = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
                "--hide-scrollbars", "--window-size=1280,2200", "--screenshot=" + png, url).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(shot.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.size(png)).as("Chromium's screenshot of the page").isPositive();
        System.out.println("SyncServiceTest: the status page as Chromium shows it: " + png);
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(url + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    static long count(String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
