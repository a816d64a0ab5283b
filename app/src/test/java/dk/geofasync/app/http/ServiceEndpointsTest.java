package dk.geofasync.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.app.service.InstanceRole;
import dk.geofasync.app.service.SyncMetrics;
import dk.geofasync.app.status.GeofaBudget;
import dk.geofasync.app.status.StatusFixtures;
import dk.geofasync.app.status.SyncStatus;
import dk.geofasync.applier.apply.Applied;
import dk.geofasync.applier.geofa.RequestBudget;
import dk.geofasync.transport.relay.RelayStats;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The service's endpoints as a browser or an attacker meets it: no echo, protective headers, and stalled
 * clients cannot starve it; and what it shows a person and Prometheus, from fixed figures.
 */
class ServiceEndpointsTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void unknownPathIsNotEchoedAndAnswersCarryProtectiveHeaders() throws Exception {
        try (ServiceEndpoints server = server()) {
            HttpResponse<String> missing = get(server, "/%3Cscript%3Ealert(1)%3C/script%3E");
            HttpResponse<String> live = get(server, "/health/live");

            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("not found\n");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(live.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
        }
    }

    @Test
    void stalledClientsDoNotStarveTheHealthCheck() throws Exception {
        try (ServiceEndpoints server = server()) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes()); // never finishes its headers
                    stalled.add(s);
                }
                HttpResponse<String> live = http.send(HttpRequest.newBuilder(uri(server, "/health/live")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(live.statusCode()).isEqualTo(200);
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
        }
    }

    @Test
    void statusJsonPageAndMetricsCarryTheGeofaBudget() throws Exception {
        RequestBudget.Usage usage = new RequestBudget.Usage(110, 37, 400, 2);
        // 300 in the outbox and 900 on Kafka; 8,000 events in 400 requests at 110 a minute: 1,200 / 2,200 min
        SyncStatus status = StatusFixtures.status(300, 900).withGeofaBudget(new GeofaBudget(usage, 8_000, 2_000));
        SyncMetrics metrics = new SyncMetrics(new SyncMetrics.Stages(() -> Map.of(Applied.CREATED, 8_000), RelayStats::new, () -> usage));
        metrics.update(status);

        try (ServiceEndpoints server = ServiceEndpoints.start(new InetSocketAddress("127.0.0.1", 0),
                new Served.Active(() -> status, Optional::empty, () -> true, null, metrics, () -> InstanceRole.ACTIVE))) {
            JsonNode budget = new ObjectMapper().readTree(get(server, "/status.json").body()).path("geofa_budget");
            String page = get(server, "/").body();
            String scrape = get(server, "/metrics").body();

            assertThat(budget.path("per_minute").asInt()).isEqualTo(110);
            assertThat(budget.path("used_last_minute").asInt()).isEqualTo(37);
            assertThat(budget.path("throttled_since_start").asLong()).isEqualTo(2);
            assertThat(budget.path("requests_since_start").asLong()).isEqualTo(400);
            assertThat(budget.path("events_per_request").asDouble()).isEqualTo(20.0);
            assertThat(budget.path("pending_events").asLong()).isEqualTo(1_200);
            assertThat(budget.path("drain_seconds_estimate").asDouble()).isEqualTo(32.728);
            assertThat(page).contains("GeoFA request budget", "<tr><th>429s seen since start</th><td class=\"num\">2</td></tr>", "about 33 s");
            assertThat(scrape).contains("geofa_sync_geofa_requests_total 400.0", "geofa_sync_geofa_throttled_total 2.0",
                    "geofa_sync_geofa_requests_last_minute 37.0", "geofa_sync_geofa_budget_per_minute 110.0",
                    "geofa_sync_drain_seconds_estimate 32.728");
        }
    }

    private static ServiceEndpoints server() {
        // status, readiness and metrics are not asked for here
        return ServiceEndpoints.start(new InetSocketAddress("127.0.0.1", 0), new Served.Active(() -> {
            throw new IllegalStateException("not asked");
        }, Optional::empty, () -> true, null, null, () -> InstanceRole.ACTIVE));
    }

    private HttpResponse<String> get(ServiceEndpoints server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ServiceEndpoints server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
