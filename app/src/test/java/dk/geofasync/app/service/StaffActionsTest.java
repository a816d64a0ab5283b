package dk.geofasync.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.action.ActionUsers;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.DataSources;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service's actions over HTTP: refused without credentials, with wrong ones and from another
 * site's page; with a configured user they pause and resume the applier, retry and discard dead
 * letters, start a run and a reconcile, each recorded in {@code sync.action}; off when no user is configured.
 */
class StaffActionsTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String USER = "gis-staff";
    static final String PASSWORD = "a long enough password";

    @Test
    void actionsRefuseWithoutCredentialsAndWorkAndAreRecordedWithThem() throws Exception {
        FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults());
        try (HikariDataSource vk = DataSources.pooled(db.config().withMaxPoolSize(12), "actions-test")) {
            SyncService.Settings settings = prepare(vk, fake).withActionUsers(ActionUsers.of(USER, Secret.of(PASSWORD)));
            try (SyncService service = new SyncService(settings)) {
                String base = "http://127.0.0.1:" + service.httpPort();

                assertThat(post(base + "/actions/applier/pause", null).statusCode()).as("no credentials").isEqualTo(401);
                assertThat(post(base + "/actions/applier/pause", basic(USER, "not the password")).statusCode()).as("wrong password").isEqualTo(401);
                assertThat(send(HttpRequest.newBuilder(URI.create(base + "/actions/applier/pause")).header("Authorization", basic(USER, PASSWORD))
                        .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                        .as("from another site's page").isEqualTo(403);
                assertThat(count("select count(*) from sync.applier_pause")).as("refused actions change nothing").isZero();
                assertThat(count("select count(*) from sync.action")).isZero();

                // paused: a change waits on Kafka and GeoFA gets nothing
                HttpResponse<String> paused = post(base + "/actions/applier/pause?reason=GeoFA%20maintenance", basic(USER, PASSWORD));
                assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
                assertThat(count("select count(*) from sync.applier_pause where paused_by = 'gis-staff' and reason = 'GeoFA maintenance'")).isEqualTo(1);
                Thread.sleep(2_500); // the pause is read every 2 s
                db.execute("insert into vk.facilitet_punkt (id, facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, geom) values "
                        + "(811, 1012, 9, 'Bænk', 3, 1, 7, 'SRID=25832;POINT(550000 6170000)'), "
                        + "(812, 1012, 9, 'Forkert kode', 3, 99, 7, 'SRID=25832;POINT(550100 6170100)')");
                Await.until("the relay publishes while the applier is paused", Duration.ofSeconds(20),
                        () -> count("select count(*) from sync.outbox where row_key in ('811', '812') and published_at is not null") == 2);
                Thread.sleep(3_000); // a stretch of time in which nothing may be applied: an absence has no condition to wait on
                assertThat(count("select count(*) from sync.inbox where row_key in ('811', '812')")).as("nothing applied while paused").isZero();
                assertThat(get(base + "/").body()).as("the page says who paused it").contains("the applier is paused by gis-staff");

                HttpResponse<String> resumed = post(base + "/actions/applier/resume", basic(USER, PASSWORD));
                assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
                Await.until("811 linked and 812 dead-lettered after the resume", Duration.ofSeconds(30),
                        () -> count("select count(*) from vk.facilitet_punkt where id = 811 and objekt_id is not null") == 1
                                && count("select count(*) from sync.dead_letter where row_key = '812' and status = 'open'") == 1);

                long letter = count("select id from sync.dead_letter where row_key = '812'");
                HttpResponse<String> retried = post(base + "/actions/dead-letters/retry?id=" + letter, basic(USER, PASSWORD));
                assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
                assertThat(count("select count(*) from sync.dead_letter where id = " + letter + " and status = 'resolved'")).isEqualTo(1);
                Await.until("the retry fails again on GeoFA's code list: a new letter", Duration.ofSeconds(30),
                        () -> count("select count(*) from sync.dead_letter where row_key = '812' and status = 'open'") == 1);
                long again = count("select id from sync.dead_letter where row_key = '812' and status = 'open'");
                HttpResponse<String> discarded = post(base + "/actions/dead-letters/discard?id=" + again + "&id=999999", basic(USER, PASSWORD));
                assertThat(discarded.statusCode()).as(discarded.body()).isEqualTo(200);
                assertThat(discarded.body()).contains("discarded #" + again, "there is no #999999");
                assertThat(count("select count(*) from sync.dead_letter where id = " + again + " and status = 'discarded'")).isEqualTo(1);
                assertThat(post(base + "/actions/dead-letters/retry", basic(USER, PASSWORD)).statusCode()).as("neither id nor all").isEqualTo(409);

                long runsBefore = count("select count(*) from sync.run where kind = 'service'");
                assertThat(post(base + "/actions/sync", basic(USER, PASSWORD)).statusCode()).isEqualTo(200);
                assertThat(count("select count(*) from sync.run where kind = 'service'")).as("a run of its own from now").isEqualTo(runsBefore + 1);

                assertThat(post(base + "/actions/reconcile", basic(USER, PASSWORD)).statusCode()).isEqualTo(200);
                Await.until("the reconcile asked for ran", Duration.ofSeconds(60),
                        () -> count("select count(*) from sync.reconcile_run where trigger = 'action' and outcome = 'succeeded'") == 1);

                assertThat(count("select count(*) from sync.action where who = 'gis-staff'")).as("every action taken, recorded").isEqualTo(7);
                assertThat(count("select count(*) from sync.action where action = 'applier-pause' and outcome = 'done' and from_address = '127.0.0.1'"))
                        .isEqualTo(1);
                assertThat(count("select count(*) from sync.action where action = 'dead-letters-retry' and outcome = 'refused'")).isEqualTo(1);
                assertThat(count("select count(*) from sync.action where action = 'dead-letters-discard' and target = '#" + again + " #999999'"))
                        .isEqualTo(1);
            }
        } finally {
            fake.close();
        }
    }

    @Test
    void withoutUsersTheActionsAreOffAndThePagesStayReadOnly() throws Exception {
        FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults());
        try (HikariDataSource vk = DataSources.pooled(db.config().withMaxPoolSize(12), "actions-off-test");
             SyncService service = new SyncService(prepare(vk, fake))) {
            String base = "http://127.0.0.1:" + service.httpPort();
            HttpResponse<String> off = post(base + "/actions/applier/pause", basic(USER, PASSWORD));
            assertThat(off.statusCode()).isEqualTo(403);
            assertThat(off.body()).contains("actions are off");
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
            assertThat(count("select count(*) from sync.applier_pause")).isZero();
        } finally {
            fake.close();
        }
    }

    private static SyncService.Settings prepare(HikariDataSource vk, FakeGeofa fake) throws Exception {
        return SyncService.Settings.of(SandboxPipeline.prepare(db, kafka, vk, fake, 10), new InetSocketAddress("127.0.0.1", 0));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
