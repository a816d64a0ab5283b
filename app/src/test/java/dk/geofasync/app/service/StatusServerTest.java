package dk.geofasync.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status server as a browser or an attacker meets it: no echo, protective headers, and stalled clients cannot starve it. */
class StatusServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void unknownPathIsNotEchoedAndAnswersCarryProtectiveHeaders() throws Exception {
        try (StatusServer server = server()) {
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
        try (StatusServer server = server()) {
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

    private static StatusServer server() throws Exception {
        // status, readiness and metrics are not asked for here
        return new StatusServer(new InetSocketAddress("127.0.0.1", 0), () -> {
            throw new IllegalStateException("not asked");
        }, () -> true, null, null);
    }

    private HttpResponse<String> get(StatusServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(StatusServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
