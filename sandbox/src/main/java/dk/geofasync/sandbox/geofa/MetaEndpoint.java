package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@code GET /api/v3/meta/{query}} as GC2 answers it to a logged-in user (bearer token): for a schema
 * ({@code fkg}) or comma-separated relations ({@code fkg.t_5800_fac_pkt,fkg.t_5800_fac_pkt_t}),
 * {@code {"relations": {"fkg.t_5800_fac_pkt.geometri": {..., "fields": {...}}}}}; nothing found is
 * {@code "relations": []}, as PHP encodes an empty list. See {@link RelationDescriptions} for what a
 * relation holds.
 */
final class MetaEndpoint implements HttpHandler {

    private static final String PREFIX = "/api/v3/meta/";

    private final RelationDescriptions descriptions;
    private final Tokens tokens;

    MetaEndpoint(RelationDescriptions descriptions, Tokens tokens) {
        this.descriptions = descriptions;
        this.tokens = tokens;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        JsonExchange json = new JsonExchange(exchange);
        if (!json.method().equals("GET")) {
            json.error(405, "use GET");
            return;
        }
        String token = json.bearerToken();
        Optional<String> user = tokens.user(token);
        if (user.isEmpty()) {
            json.error(401, tokens.known(token) ? "Token expired" : "Invalid or missing access token");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String query = path.length() > PREFIX.length() ? path.substring(PREFIX.length()) : FakeGeofaSchema.SCHEMA;
        ObjectNode relations;
        try {
            relations = descriptions.describe(query);
        } catch (SQLException e) {
            json.error(500, e.getMessage());
            return;
        }
        ObjectNode answer = JsonExchange.JSON.createObjectNode();
        if (relations.isEmpty()) {
            answer.putArray("relations");
        } else {
            answer.set("relations", relations);
        }
        // GC2's Route2 adds the time it took to every v3/v4 answer that is an object
        answer.put("_execution_time", Math.round((System.nanoTime() - start) / 1e6) / 1000.0);
        json.respond(200, answer);
    }
}
