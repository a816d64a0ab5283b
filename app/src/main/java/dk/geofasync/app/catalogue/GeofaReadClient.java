package dk.geofasync.app.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.applier.geofa.RequestBudget;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only session with GeoFA's API for {@code catalogue --from-geofa}: one password login
 * ({@code POST /api/v4/oauth}), then meta reads ({@code GET /api/v3/meta/…}, or {@code /api/v4/meta/…}
 * where GC2 has moved it) and selects ({@code POST /api/v4/sql}) with the bearer token. Every request
 * goes through the GeoFA user's {@link RequestBudget} (shared with the applier) and is counted. Reads change nothing, so an answer that did not
 * come (a broken connection, 502-504) is simply asked again; a 429 waits out GeoFA's minute. The
 * applier's {@code GeofaClient} is not used: it is built for writes, whose outcome may be unknown.
 */
final class GeofaReadClient {

    /** What a refresh asked GeoFA for. */
    enum Kind { LOGIN, META, SQL }

    /** GeoFA answered, and refused: its status and message (never a row's values: these are reads of the model). */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRIES = 4;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /** Meta of a whole schema is one large answer GC2 builds relation by relation on a cold cache. */
    private static final Duration META_TIMEOUT = Duration.ofMinutes(3);

    private final GeofaSettings settings;
    private final RequestBudget budget;
    private final HttpClient http;
    private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    private String token;

    GeofaReadClient(GeofaSettings settings, RequestBudget budget) {
        this.settings = settings;
        this.budget = budget;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version("https".equalsIgnoreCase(settings.baseUrl().getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** GC2's meta for {@code query} (a schema, or comma-separated {@code schema.relation}s). */
    JsonNode meta(String query) {
        String path = URLEncoder.encode(query, StandardCharsets.UTF_8).replace("%2C", ",");
        try {
            return send(Kind.META, "/api/v3/meta/" + path, null);
        } catch (Refused e) {
            if (e.status() != 404) {
                throw e;
            }
            return send(Kind.META, "/api/v4/meta/" + path, null); // GC2 from 2026 serves it here only
        }
    }

    /** One select through the v4 SQL API; its answer holds the rows in {@code data}. */
    JsonNode select(String q) {
        // no params: GC2 refuses an empty parameter list (Sql.php: Count(min: 1))
        return send(Kind.SQL, "/api/v4/sql", JSON.createObjectNode().put("q", q));
    }

    /** How many requests of a kind went to GeoFA, tries included. */
    int count(Kind kind) {
        return counts.getOrDefault(kind, 0);
    }

    private JsonNode send(Kind kind, String path, ObjectNode body) {
        Duration backoff = FIRST_BACKOFF;
        boolean loggedInAgain = false;
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(settings.baseUrl().resolve(path))
                    .timeout(kind == Kind.META && META_TIMEOUT.compareTo(settings.requestTimeout()) > 0 ? META_TIMEOUT : settings.requestTimeout())
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + token());
            if (body != null) {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            }
            try {
                budget.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while keeping to GeoFA's request budget", e);
            }
            counts.merge(kind, 1, Integer::sum);
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                backoff = againOrGiveUp(attempt, backoff, path, "no answer (" + e.getMessage() + ")");
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading GeoFA", e);
            }
            int status = response.statusCode();
            JsonNode answer = parse(response.body());
            if (status == 200) {
                return answer;
            }
            if (status == 401 && !loggedInAgain) {
                loggedInAgain = true; // the token ran out on the way: one new login, not a try
                token = null;
                attempt--;
            } else if (status == 429) {
                if (attempt >= TRIES) {
                    throw new IllegalStateException("GeoFA answered 429 Too Many Requests " + TRIES + " times, a minute apart: "
                            + "its rate limit is lower than --geofa-requests-per-minute");
                }
                budget.throttled(Optional.empty()); // GC2 names no time: the next acquire waits for the next minute
            } else if (status == 502 || status == 503 || status == 504) {
                backoff = againOrGiveUp(attempt, backoff, path, "HTTP " + status);
            } else {
                throw new Refused(status, answer.path("message").asText("HTTP " + status));
            }
        }
    }

    private Duration againOrGiveUp(int attempt, Duration backoff, String path, String what) {
        if (attempt >= TRIES) {
            throw new IllegalStateException("GeoFA at " + address(settings.baseUrl()) + " gave " + what + " for " + path + " " + TRIES + " times");
        }
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading GeoFA", e);
        }
        return backoff.multipliedBy(2);
    }

    private String token() {
        if (token == null) {
            token = login();
        }
        return token;
    }

    private String login() {
        ObjectNode body = JSON.createObjectNode().put("grant_type", "password").put("username", settings.user())
                .put("password", settings.password().reveal()).put("database", settings.database());
        HttpRequest request = HttpRequest.newBuilder(settings.baseUrl().resolve("/api/v4/oauth"))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        counts.merge(Kind.LOGIN, 1, Integer::sum); // GC2 counts no request without a token against the limit
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach GeoFA at " + address(settings.baseUrl()) + " to log in: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while logging in to GeoFA", e);
        }
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            throw new IllegalArgumentException("GeoFA refused the login of user " + settings.user() + " to database " + settings.database()
                    + ": check --geofa-user and the password");
        }
        String access = parse(response.body()).path("access_token").asText("");
        if (response.statusCode() != 200 || access.isEmpty()) {
            throw new IllegalStateException("GeoFA's login answered HTTP " + response.statusCode() + " without a token");
        }
        return access;
    }

    /** The address to show and stamp: scheme, host, port and path, never user information or a query. */
    static String address(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getPath() == null || url.getPath().equals("/") ? "" : url.getPath());
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
