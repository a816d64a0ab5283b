package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * {@code POST /api/v4/sql}: one statement with {@code :named} parameters and any number of
 * parameter sets, or a JSON list of such statements, all run in ONE transaction in order (all
 * applied or none), as GeoFA does it. Updates and deletes that match no row fail the whole request
 * with {@code COUNT 0 ERROR}. A list of several statements is answered with a list of results, one
 * per statement; a list of one like a single statement.
 */
final class SqlEndpoint implements HttpHandler {

    private static final int SRS = 25832;

    private final DataSource dataSource;
    private final Tokens tokens;
    private final Faults faults;
    private final FreshStatistics statistics = new FreshStatistics();
    /** Time spent running clients' statements in the database, for benchmarks to tell GeoFA's share of a run from the client's. */
    private final java.util.concurrent.atomic.AtomicLong busyNanos = new java.util.concurrent.atomic.AtomicLong();

    /** One statement of a request, checked and parsed. */
    private record Query(String q, NamedStatement statement, JsonNode params) {
    }

    /** GC2's default {@code SqlApiSettings.statement_timeout}, set (LOCAL) when its SQL API runs a select. */
    static final java.time.Duration GC2_SELECT_TIMEOUT = java.time.Duration.ofSeconds(60);
    private volatile java.time.Duration selectTimeout = GC2_SELECT_TIMEOUT;

    SqlEndpoint(DataSource dataSource, Tokens tokens, Faults faults) {
        this.dataSource = dataSource;
        this.tokens = tokens;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        JsonExchange json = new JsonExchange(exchange);
        if (!json.method().equals("POST")) {
            json.error(405, "use POST");
            return;
        }
        String token = json.bearerToken();
        Optional<String> user = tokens.user(token);
        if (user.isEmpty()) {
            json.error(401, tokens.known(token) ? "Token expired" : "Invalid or missing access token");
            return;
        }
        List<Query> queries;
        try {
            queries = queries(json.body());
        } catch (IOException | IllegalArgumentException e) {
            json.error(400, e.getMessage());
            return;
        }
        JsonNode answer;
        long started = System.nanoTime();
        try {
            answer = queries.isEmpty() ? null : run(user.get(), queries);
        } catch (SQLException e) {
            json.error(500, message(e));
            return;
        } finally {
            busyNanos.addAndGet(System.nanoTime() - started);
        }
        Optional<LostResponse> lost = faults.takeLostResponse();
        if (lost.isEmpty()) {
            if (answer == null) {
                json.empty(204); // GC2 answers an empty list with No Content
            } else {
                json.respond(200, answer);
            }
        } else if (lost.get() == LostResponse.BAD_GATEWAY) {
            json.text(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        } else if (lost.get() == LostResponse.DATABASE_CONNECTION_LOST) {
            json.error(500, "SQLSTATE[57P01]: Admin shutdown: 7 FATAL:  terminating connection due to administrator command");
        } else {
            exchange.close(); // no headers sent: the server closes the connection, the client sees no answer
        }
    }

    /** The statement timeout a request's selects set, GC2's {@code SqlApiSettings.statement_timeout}. */
    void selectTimeout(java.time.Duration timeout) {
        selectTimeout = timeout;
    }

    /** Time spent running clients' statements (the database's work, faults' delays not included) since the last {@link #resetBusy()}. */
    java.time.Duration busy() {
        return java.time.Duration.ofNanos(busyNanos.get());
    }

    void resetBusy() {
        busyNanos.set(0);
    }

    /** Every statement of the body checked before any runs, as GC2 validates the whole body first. */
    private static List<Query> queries(JsonNode body) {
        List<JsonNode> bodies = body.isArray() ? toList(body) : List.of(body);
        List<Query> queries = new ArrayList<>(bodies.size());
        for (JsonNode one : bodies) {
            if (one.has("srs") && one.get("srs").asInt() != SRS) {
                throw new IllegalArgumentException("the sandbox's GeoFA answers in srs " + SRS + " only");
            }
            if (one.has("params") && one.get("params").isArray() && one.get("params").isEmpty()) {
                throw new IllegalArgumentException("params must not be empty: leave it out for a statement without parameters");
            }
            NamedStatement statement = NamedStatement.parse(one.path("q").asText(null));
            queries.add(new Query(one.path("q").asText(), statement, one.path("params")));
        }
        return queries;
    }

    private JsonNode run(String user, List<Query> queries) throws SQLException {
        List<ObjectNode> results = new ArrayList<>(queries.size());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement who = c.prepareStatement("select set_config('fake_geofa.user', ?, true), "
                        + "set_config('search_path', 'fkg, public', true)")) {
                    who.setString(1, user);
                    who.execute();
                }
                for (Query query : queries) {
                    if (query.statement().kind() == NamedStatement.Kind.SELECT) {
                        // as GC2's Sql::sql: from its first select on, every statement of the transaction is bounded (writes before it are not)
                        try (PreparedStatement timeout = c.prepareStatement("select set_config('statement_timeout', ?, true)")) {
                            timeout.setString(1, Long.toString(selectTimeout.toMillis()));
                            timeout.execute();
                        }
                    }
                    results.add(run(c, query));
                }
                Optional<java.time.Duration> hold = faults.takeHoldCommit();
                if (hold.isPresent()) {
                    Thread.sleep(hold.get().toMillis());
                }
                c.commit();
                for (int i = 0; i < queries.size(); i++) {
                    if (queries.get(i).statement().kind() == NamedStatement.Kind.INSERT) {
                        // the rows inserted, not the parameter sets: one set may insert many (a JSON array of rows)
                        statistics.afterInsert(c, queries.get(i).statement().jdbcSql(), results.get(i).path("affected_rows").asInt());
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } catch (InterruptedException e) {
                c.rollback();
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while holding the transaction open", e);
            }
        }
        if (results.size() == 1) {
            // GC2 answers a list of one with its only result; the fake's single answer has always said success
            ObjectNode answer = JsonExchange.JSON.createObjectNode().put("success", true);
            answer.setAll(results.get(0));
            return answer;
        }
        // GC2 drops "success" from each result of a list (Sql::runStatement)
        ArrayNode answers = JsonExchange.JSON.createArrayNode();
        answers.addAll(results);
        return answers;
    }

    private static ObjectNode run(Connection c, Query query) throws SQLException {
        NamedStatement statement = query.statement();
        JsonNode params = query.params();
        List<JsonNode> sets = params.isArray() && !params.isEmpty() ? toList(params) : List.of(JsonNodeFactory.instance.objectNode());
        ArrayNode data = JsonExchange.JSON.createArrayNode();
        ObjectNode schema = JsonExchange.JSON.createObjectNode();
        int affected = 0;
        if (statement.kind() == NamedStatement.Kind.INSERT && sets.size() > 1) {
            affected = insertBatch(c, statement, sets, data, schema);
        } else try (PreparedStatement ps = c.prepareStatement(statement.jdbcSql())) {
            for (JsonNode set : sets) {
                bind(ps, statement.parameterNames(), set);
                boolean rows = ps.execute();
                int count = rows ? collect(c, ps.getResultSet(), data, schema) : ps.getUpdateCount();
                if (count == 0 && (statement.kind() == NamedStatement.Kind.UPDATE || statement.kind() == NamedStatement.Kind.DELETE)) {
                    throw new CountZero();
                }
                affected += count;
            }
        }
        ObjectNode result = JsonExchange.JSON.createObjectNode();
        result.put("affected_rows", affected);
        result.set("data", data);
        result.set("schema", schema);
        result.put("statement", query.q());
        return result;
    }

    /**
     * Many inserts sent as one JDBC batch (pipelined: the fake's own cost per row stays small, so a
     * benchmark measures the sync, not the fake); RETURNING rows come back as generated keys.
     */
    private static int insertBatch(Connection c, NamedStatement statement, List<JsonNode> sets, ArrayNode data, ObjectNode schema)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(statement.jdbcSql(), java.sql.Statement.RETURN_GENERATED_KEYS)) {
            for (JsonNode set : sets) {
                bind(ps, statement.parameterNames(), set);
                ps.addBatch();
            }
            try {
                ps.executeBatch();
            } catch (java.sql.BatchUpdateException e) {
                throw e.getNextException() != null ? e.getNextException() : e;
            }
            collect(c, ps.getGeneratedKeys(), data, schema);
            return sets.size();
        }
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return list;
    }

    /** Binds JSON values untyped, as GC2 does, so PostgreSQL types them from their use in the statement. */
    private static void bind(PreparedStatement ps, List<String> names, JsonNode set) throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            JsonNode value = set.get(names.get(i));
            if (value == null && !set.has(names.get(i))) {
                throw new SQLException("parameter :" + names.get(i) + " has no value in the parameter set");
            }
            if (value == null || value.isNull()) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, value.isValueNode() ? value.asText() : value.toString(), Types.OTHER);
            }
        }
    }

    private static int collect(Connection c, ResultSet rs, ArrayNode data, ObjectNode schema) throws SQLException {
        int rows = 0;
        try (rs) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                schema.set(meta.getColumnLabel(i), JsonExchange.JSON.createObjectNode()
                        .put("type", meta.getColumnTypeName(i)).put("array", false));
            }
            while (rs.next()) {
                ObjectNode row = data.addObject();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.set(meta.getColumnLabel(i), value(c, rs.getObject(i)));
                }
                rows++;
            }
        }
        return rows;
    }

    private static JsonNode value(Connection c, Object value) throws SQLException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null) {
            return nodes.nullNode();
        }
        if (value instanceof Number n) {
            return n instanceof Integer || n instanceof Long || n instanceof Short ? nodes.numberNode(n.longValue())
                    : nodes.numberNode(new java.math.BigDecimal(n.toString()));
        }
        if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        }
        if (value instanceof PGobject pg && pg.getValue() != null) {
            if (pg.getType().equals("geometry")) {
                try (PreparedStatement ps = c.prepareStatement("select st_asgeojson(?::geometry)")) {
                    ps.setString(1, pg.getValue());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return FakeGeofaDatabase.json(rs.getString(1));
                    }
                }
            }
            if (pg.getType().equals("json") || pg.getType().equals("jsonb")) {
                return FakeGeofaDatabase.json(pg.getValue());
            }
        }
        return nodes.textNode(value.toString());
    }

    /** PostgreSQL's message, with its DETAIL line as GC2 passes it on (it names the column of a code-list error). */
    private static String message(SQLException e) {
        if (e instanceof CountZero) {
            return e.getMessage();
        }
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            return m.getDetail() == null ? m.getMessage() : m.getMessage() + "\nDETAIL:  " + m.getDetail();
        }
        return e.getMessage();
    }

    /** An update or delete that matched no current object. */
    private static final class CountZero extends SQLException {
        private static final long serialVersionUID = 1L;

        CountZero() {
            super("COUNT 0 ERROR");
        }
    }
}
