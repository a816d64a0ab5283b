package dk.geofasync.applier.geofa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.geofasync.core.retry.Backoff;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GeoFA's v4 SQL API: logs in and renews the token before it expires (or when GeoFA says it has),
 * sends one statement with any number of parameter sets (one transaction in GeoFA), and answers
 * with a {@link SqlResult} or one of the three {@link GeofaException} kinds. Requests GeoFA did not
 * apply (429 with Retry-After, 503, an unexplained 500) are tried again with back-off; a request
 * whose outcome is unknown is never sent again by the client: only the caller knows whether that
 * is safe. At most {@link GeofaSettings#maxConcurrentRequests()} requests are in flight.
 */
public final class GeofaClient {

    private static final Logger LOG = LoggerFactory.getLogger(GeofaClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SRS = 25832;
    /** Renew a token this long before GeoFA's expiry, so no request carries one that runs out on the way. */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(2);
    /** How long a statement waits out GeoFA's 429s before it counts as not applied: a few minute windows. */
    private static final Duration MAX_THROTTLED = Duration.ofMinutes(5);
    private static final Duration MIN_THROTTLE_PAUSE = Duration.ofSeconds(1);
    /** PostgreSQL's and GeoFA's own refusals: the statement is wrong for the data, and will stay wrong. */
    private static final Pattern REFUSAL = Pattern.compile(
            "violates|value too long|does not match column|Objekt with objekt_id=\\S+ already exists|LIMIT ERROR|COUNT 0 ERROR|not allowed|invalid input|"
                    + "syntax error|does not exist|out of range|parse error|invalid GeoJson|unknown GeoJSON",
            Pattern.CASE_INSENSITIVE);
    /**
     * GeoFA's database connection broke while it worked on the statement (a PostgreSQL restart, a
     * network cut behind GeoFA): the error may come after the commit, so the statement may have been
     * applied, and a create must be looked up, never simply sent again.
     */
    private static final Pattern CONNECTION_LOST = Pattern.compile(
            "terminating connection|server closed the connection|connection (?:has been )?closed|I/O error|connection reset|"
                    + "SQLSTATE\\[(?:08|57P)|no connection to the server|could not receive data",
            Pattern.CASE_INSENSITIVE);

    /**
     * GeoFA cannot reach its database at all (refused, starting up, shutting down, no pooled
     * connection): the statement did not run, and it is GeoFA's outage, not the object's fault, so it
     * is tried again like a 503 and never counted against the object.
     */
    private static final Pattern DATABASE_AWAY = Pattern.compile(
            "connection refused|Connection to \\S+ refused|the database system is (?:starting up|shutting down|in recovery)|"
                    + "SQLSTATE\\[57P03|Connection is not available|could not connect to server",
            Pattern.CASE_INSENSITIVE);

    private final GeofaSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final Semaphore inFlight;
    private final Runnable fence;
    private final RequestBudget budget;
    private final java.util.concurrent.atomic.AtomicLong unknownOutcomes = new java.util.concurrent.atomic.AtomicLong();
    private Token token;

    private record Token(String access, String refresh, Instant renewAt) {
    }

    public GeofaClient(GeofaSettings settings, Clock clock) {
        this(settings, clock, () -> { });
    }

    /**
     * @param fence runs before every statement is sent and throws when this process may no longer
     *              write to GeoFA (the applier lease was lost); what it throws passes to the caller
     */
    public GeofaClient(GeofaSettings settings, Clock clock, Runnable fence) {
        this(settings, clock, fence, RequestBudget.of(settings.baseUrl().resolve("/").toString(), settings.user(), settings.requestsPerMinute()));
    }

    /** @param budget the GeoFA user's request budget (tests give each client one of its own) */
    public GeofaClient(GeofaSettings settings, Clock clock, Runnable fence, RequestBudget budget) {
        this.budget = budget;
        this.settings = settings;
        this.clock = clock;
        this.fence = fence;
        this.inFlight = new Semaphore(settings.maxConcurrentRequests(), true);
        // HTTP/2 where TLS negotiates it; plain http (a test or sandbox GeoFA) gets HTTP/1.1 without h2c upgrade attempts
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version("https".equalsIgnoreCase(settings.baseUrl().getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The settings this client runs with. */
    public GeofaSettings settings() {
        return settings;
    }

    /**
     * Runs {@code q} once per parameter set, all in one GeoFA transaction.
     *
     * @throws GeofaException.Rejected GeoFA refused it (its message says why); nothing applied
     * @throws GeofaException.Unavailable GeoFA did not apply it in {@code maxAttempts} tries
     * @throws GeofaException.OutcomeUnknown it may have been applied
     * @throws GeofaException.LoginFailed the credentials were refused
     */
    public SqlResult execute(String q, List<Map<String, Object>> params) {
        return request(body(new Statement(q, params)), 1, () -> { }, true).get(0);
    }

    /**
     * Runs a statement that changes nothing in GeoFA (a select): an answer lost on the way is simply
     * asked for again, up to {@value #READ_TRIES} times, and is no unknown outcome; only then does
     * it throw {@link GeofaException.OutcomeUnknown}. Otherwise as {@link #execute}.
     */
    public SqlResult read(String q, List<Map<String, Object>> params) {
        for (int tries = 1; ; tries++) {
            try {
                return request(body(new Statement(q, params)), 1, () -> { }, false).get(0);
            } catch (GeofaException.OutcomeUnknown lost) {
                if (tries >= READ_TRIES) {
                    throw lost;
                }
            }
        }
    }

    /**
     * Runs several statements that change nothing in GeoFA (selects) as ONE request: one share of
     * the budget for what would be one request each. Lost answers as {@link #read}.
     *
     * @return one result per statement, in order
     */
    public List<SqlResult> readAll(List<Statement> statements) {
        if (statements.size() == 1) {
            return List.of(read(statements.get(0).q(), statements.get(0).params()));
        }
        ArrayNode array = JSON.createArrayNode();
        statements.forEach(st -> array.add(body(st)));
        for (int tries = 1; ; tries++) {
            try {
                return request(array, statements.size(), () -> { }, false);
            } catch (GeofaException.OutcomeUnknown lost) {
                if (tries >= READ_TRIES) {
                    throw lost;
                }
            }
        }
    }

    /** Tries of a read whose answers get lost. */
    private static final int READ_TRIES = 3;

    /**
     * Runs the statements in order in ONE GeoFA transaction and ONE request (GC2 takes an array of
     * statements): all applied or none. Same outcomes as {@link #execute}.
     *
     * @return one result per statement, in order
     */
    public List<SqlResult> executeAll(List<Statement> statements) {
        return executeAll(statements, () -> { });
    }

    /**
     * {@link #executeAll(List)}, running {@code beforeSend} right before each try leaves (after any
     * wait for the request budget): what must be on record before GeoFA may act, such as a create's
     * intent, carries the time the request really went.
     */
    public List<SqlResult> executeAll(List<Statement> statements, Runnable beforeSend) {
        if (statements.isEmpty()) {
            return List.of();
        }
        if (statements.size() == 1) {
            return request(body(statements.get(0)), 1, beforeSend, true);
        }
        ArrayNode array = JSON.createArrayNode();
        statements.forEach(st -> array.add(body(st)));
        return request(array, statements.size(), beforeSend, true);
    }

    /** One statement of a request: SQL with {@code :named} parameters and its parameter sets. */
    public record Statement(String q, List<Map<String, Object>> params) {
        public Statement {
            params = List.copyOf(params);
        }
    }

    private static ObjectNode body(Statement statement) {
        ObjectNode body = JSON.createObjectNode().put("q", statement.q()).put("srs", SRS);
        if (!statement.params().isEmpty()) { // GC2 refuses an empty "params" list (app/api/v4/controllers/Sql.php); none means none
            body.set("params", JSON.valueToTree(statement.params()));
        }
        return body;
    }

    /** @param changes whether the statements may change GeoFA (then a lost answer is an unknown outcome, counted) */
    private List<SqlResult> request(JsonNode body, int statements, Runnable beforeSend, boolean changes) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("parameters cannot be written as JSON: " + e.getMessage(), e);
        }
        Duration throttledFor = Duration.ZERO;
        Backoff policy = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        Duration backoff = policy.first();
        boolean renewedAfter401 = false;
        for (int attempt = 1; ; attempt++) {
            Attempt result;
            try {
                result = attempt(bytes, statements, beforeSend);
            } catch (GeofaException.OutcomeUnknown e) {
                if (changes) {
                    unknownOutcomes.incrementAndGet();
                }
                throw e;
            }
            switch (result.kind()) {
                case DONE:
                    return result.results();
                case THROTTLED:
                    // the minute's budget is used up (by another client of the user, as ours stays within it): not this statement's fault
                    // a Retry-After of 0 would turn the wait into a busy loop that never counts towards its bound
                    Duration pause = budget.throttled(result.retryAfter().map(r -> r.compareTo(MIN_THROTTLE_PAUSE) < 0 ? MIN_THROTTLE_PAUSE : r));
                    throttledFor = throttledFor.plus(pause);
                    if (throttledFor.compareTo(MAX_THROTTLED) > 0) {
                        throw new GeofaException.Unavailable("GeoFA kept refusing requests for its rate limit for " + throttledFor.toSeconds()
                                + " s (HTTP 429 " + result.reason() + "): another client of user " + settings.user() + " uses its budget", null, null);
                    }
                    LOG.info("GeoFA refused a request for its rate limit (HTTP 429 {}); waiting {} ms for the next minute", result.reason(), pause.toMillis());
                    sleep(pause);
                    attempt--; // waiting for the budget is not a failed try of the statement
                    continue;
                case EXPIRED_TOKEN:
                    if (renewedAfter401) {
                        throw new GeofaException.LoginFailed("GeoFA keeps refusing fresh tokens for user " + settings.user());
                    }
                    renewedAfter401 = true;
                    invalidateToken();
                    attempt--; // a renewed token is not a retry of the statement
                    continue;
                case NOT_APPLIED:
                    if (attempt >= settings.maxAttempts()) {
                        throw new GeofaException.Unavailable("GeoFA did not apply the statement in " + attempt + " tries; last: "
                                + result.reason(), null, result.geofaError().orElse(null));
                    }
                    Duration current = backoff;
                    Duration wait = result.retryAfter().filter(r -> r.compareTo(current) > 0).orElse(current);
                    LOG.debug("GeoFA: {}; trying again in {} ms ({}/{})", result.reason(), wait.toMillis(), attempt, settings.maxAttempts());
                    sleep(wait);
                    backoff = policy.after(backoff);
                    continue;
                default:
                    throw new IllegalStateException("unhandled " + result.kind());
            }
        }
    }

    private enum Kind { DONE, EXPIRED_TOKEN, NOT_APPLIED, THROTTLED }

    /** @param geofaError GeoFA's message when it answered with an error it did not explain */
    private record Attempt(Kind kind, List<SqlResult> results, String reason, Optional<Duration> retryAfter, Optional<String> geofaError) {
        static Attempt done(List<SqlResult> results) {
            return new Attempt(Kind.DONE, results, null, Optional.empty(), Optional.empty());
        }

        static Attempt notApplied(String reason, Optional<Duration> retryAfter) {
            return new Attempt(Kind.NOT_APPLIED, null, reason, retryAfter, Optional.empty());
        }

        static Attempt failed(String geofaMessage) {
            return new Attempt(Kind.NOT_APPLIED, null, "HTTP 500 " + geofaMessage, Optional.empty(), Optional.of(geofaMessage));
        }
    }

    private Attempt attempt(byte[] body, int statements, Runnable beforeSend) {
        String access;
        try {
            access = accessToken();
        } catch (GeofaException.Unavailable e) {
            return Attempt.notApplied(e.getMessage(), Optional.empty()); // the statement was not even sent
        }
        try {
            budget.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GeofaException.Unavailable("interrupted while waiting for the request budget (the statement was not sent)", e);
        } catch (GeofaException.Unavailable e) {
            return Attempt.notApplied(e.getMessage(), Optional.empty()); // the shared budget could not be asked: not sent
        }
        fence.run();
        beforeSend.run();
        HttpRequest request = HttpRequest.newBuilder(settings.baseUrl().resolve("/api/v4/sql"))
                .timeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + access)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = send(request);
        int status = response.statusCode();
        JsonNode answer = parse(response.body());
        // from here on GeoFA's words may be logged, stored and shown: never with the refused row's values
        String message = RowValues.withheld(answer.path("message").asText(response.body()));
        if (status == 200 && (answer.isArray() || answer.path("success").asBoolean(true))) {
            List<SqlResult> results = new ArrayList<>();
            if (answer.isArray()) {
                answer.forEach(one -> results.add(result(one)));
            } else {
                results.add(result(answer));
            }
            if (results.size() != statements) {
                throw new GeofaException.OutcomeUnknown("GeoFA answered " + results.size() + " results to " + statements
                        + " statements: the request may have been applied", null);
            }
            return Attempt.done(results);
        }
        if (status == 401) {
            return new Attempt(Kind.EXPIRED_TOKEN, null, message, Optional.empty(), Optional.empty());
        }
        if (status == 429) {
            return new Attempt(Kind.THROTTLED, null, message, retryAfter(response), Optional.empty());
        }
        if (status == 503) {
            return Attempt.notApplied("HTTP " + status + " " + message, retryAfter(response));
        }
        if (status == 500 && answer.has("message")) {
            if (REFUSAL.matcher(message).find()) {
                throw new GeofaException.Rejected(message);
            }
            if (DATABASE_AWAY.matcher(message).find()) {
                return Attempt.notApplied("HTTP 500 " + message, Optional.empty());
            }
            if (CONNECTION_LOST.matcher(message).find()) {
                throw new GeofaException.OutcomeUnknown("GeoFA lost its database connection while working on the statement ("
                        + message.lines().findFirst().orElse(message) + "): it may have been applied", null);
            }
            return Attempt.failed(message); // GeoFA rolled back; unexplained: try again (the applier bounds the rounds)
        }
        if (status == 400) {
            throw new GeofaException.Rejected(message);
        }
        // 502, 504 and anything else: an answer from somewhere between us and GeoFA, not from GeoFA's transaction
        throw new GeofaException.OutcomeUnknown("GeoFA answered HTTP " + status + " without its result: the statement may have been applied", null);
    }

    private static SqlResult result(JsonNode answer) {
        List<JsonNode> rows = new ArrayList<>();
        answer.path("data").forEach(rows::add);
        return new SqlResult(answer.path("affected_rows").asInt(rows.size()), rows);
    }

    /** How many requests so far may have been applied without the client knowing (lost answers, timeouts). */
    public long unknownOutcomes() {
        return unknownOutcomes.get();
    }

    /** The GeoFA user's request budget this client keeps to (shared with every client of the same user in the process). */
    public RequestBudget budget() {
        return budget;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GeofaException.OutcomeUnknown("interrupted before sending", e);
        }
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new GeofaException.OutcomeUnknown("no answer from GeoFA within " + settings.requestTimeout().toSeconds()
                    + " s: the statement may have been applied", e);
        } catch (IOException e) {
            throw new GeofaException.OutcomeUnknown("the connection to GeoFA broke (" + e.getMessage() + "): the statement may have been applied", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GeofaException.OutcomeUnknown("interrupted while waiting for GeoFA", e);
        } finally {
            inFlight.release();
        }
    }

    private synchronized String accessToken() {
        if (token == null || !clock.instant().isBefore(token.renewAt())) {
            token = token != null ? refresh(token).orElseGet(this::login) : login();
        }
        return token.access();
    }

    private synchronized void invalidateToken() {
        if (token != null) {
            token = new Token(token.access(), token.refresh(), Instant.MIN);
        }
    }

    private Token login() {
        ObjectNode body = JSON.createObjectNode().put("grant_type", "password").put("username", settings.user())
                .put("password", settings.password().reveal()).put("database", settings.database());
        return grant(body).orElseThrow(() -> new GeofaException.LoginFailed("GeoFA refused the login of user " + settings.user()
                + " to database " + settings.database() + ": check the user and password settings"));
    }

    private Optional<Token> refresh(Token old) {
        return grant(JSON.createObjectNode().put("grant_type", "refresh_token").put("refresh_token", old.refresh()));
    }

    private Optional<Token> grant(ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(settings.baseUrl().resolve("/api/v4/oauth"))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = send(request);
        } catch (GeofaException.OutcomeUnknown e) {
            throw new GeofaException.Unavailable("cannot reach GeoFA to log in: " + e.getMessage(), e); // a login changes nothing
        }
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            return Optional.empty(); // refused: wrong user, password or refresh token
        }
        if (response.statusCode() != 200) {
            throw new GeofaException.Unavailable("GeoFA's login answered HTTP " + response.statusCode(), null);
        }
        JsonNode answer = parse(response.body());
        long expiresIn = answer.path("expires_in").asLong(3600);
        Instant renewAt = clock.instant().plusSeconds(expiresIn).minus(RENEW_BEFORE);
        return Optional.of(new Token(answer.path("access_token").asText(), answer.path("refresh_token").asText(), renewAt));
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GeofaException.Unavailable("interrupted while backing off (the statement was not applied)", e);
        }
    }
}
