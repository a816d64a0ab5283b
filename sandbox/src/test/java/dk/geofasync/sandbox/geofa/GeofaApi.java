package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A plain HTTP client of the fake GeoFA for its tests: what a GeoFA client sends, nothing more. */
final class GeofaApi {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A JSON answer with its status and headers. */
    record Answer(int status, JsonNode body, java.net.http.HttpHeaders headers) {
        String message() {
            return body.path("message").asText();
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;
    private String refreshToken;

    GeofaApi(URI base) {
        this.base = base;
    }

    Answer login(String user, String password) throws IOException, InterruptedException {
        Answer answer = post("/api/v4/oauth", Map.of("grant_type", "password", "username", user, "password", password, "database", "fkg"), null);
        if (answer.status() == 200) {
            token = answer.body().get("access_token").asText();
            refreshToken = answer.body().get("refresh_token").asText();
        }
        return answer;
    }

    Answer loginAsVejle() throws IOException, InterruptedException {
        return login("kom630", "sandbox");
    }

    Answer refresh() throws IOException, InterruptedException {
        String used = refreshToken;
        Answer answer = post("/api/v4/oauth", Map.of("grant_type", "refresh_token", "refresh_token", used), null);
        if (answer.status() == 200) {
            token = answer.body().get("access_token").asText();
            refreshToken = answer.body().get("refresh_token").asText();
        }
        return answer;
    }

    String refreshTokenInUse() {
        return refreshToken;
    }

    Answer sql(String q, List<Map<String, Object>> params) throws IOException, InterruptedException {
        return sql(q, params, Duration.ofSeconds(30));
    }

    Answer sql(String q, List<Map<String, Object>> params, Duration timeout) throws IOException, InterruptedException {
        return sql(statement(q, params), timeout);
    }

    /** Any body, e.g. a list of {@link #statement}s. */
    Answer sql(JsonNode body) throws IOException, InterruptedException {
        return sql(body, Duration.ofSeconds(30));
    }

    private Answer sql(JsonNode body, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve("/api/v4/sql")).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /** One statement as a client sends it. */
    static ObjectNode statement(String q, List<Map<String, Object>> params) {
        ObjectNode body = JSON.createObjectNode().put("q", q).put("srs", 25832);
        if (!params.isEmpty()) { // as geofa-sync's client: GC2 refuses an empty list
            body.set("params", JSON.valueToTree(params));
        }
        return body;
    }

    Answer get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build());
    }

    Answer delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE().build());
    }

    /** GC2's {@code GET /api/v3/meta/{query}}, which takes the bearer token. */
    Answer meta(String query) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve("/api/v3/meta/" + query)).header("Authorization", "Bearer " + token).GET().build());
    }

    Answer readGeoJson(String select) throws IOException, InterruptedException {
        return get("/api/v2/sql/fkg?srs=25832&q=" + URLEncoder.encode(select, StandardCharsets.UTF_8));
    }

    Answer post(String path, Object body, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException notJson) {
            body = JSON.createObjectNode().put("text", response.body());
        }
        return new Answer(response.statusCode(), body, response.headers());
    }
}
