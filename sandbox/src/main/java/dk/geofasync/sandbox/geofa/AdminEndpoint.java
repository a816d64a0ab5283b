package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;

/**
 * The fake's own controls, not part of GeoFA: {@code POST /admin/faults} arms faults (see
 * {@link Faults}), {@code DELETE /admin/faults} clears them, {@code POST /admin/reset} empties
 * the fake, {@code GET /admin/objects?theme=…} lists every version it holds, {@code GET /admin/traffic}
 * shows what the rate limit counted (see {@link Traffic}) and {@code DELETE /admin/traffic} starts
 * those counts afresh.
 */
final class AdminEndpoint implements HttpHandler {

    private final FakeGeofa fake;

    AdminEndpoint(FakeGeofa fake) {
        this.fake = fake;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        JsonExchange json = new JsonExchange(exchange);
        String path = exchange.getRequestURI().getPath();
        String route = json.method() + " " + path;
        try {
            switch (route) {
                case "POST /admin/faults" -> {
                    arm(json.body());
                    json.respond(200, JsonExchange.JSON.createObjectNode().put("success", true));
                }
                case "DELETE /admin/faults" -> {
                    fake.faults().clear();
                    json.respond(200, JsonExchange.JSON.createObjectNode().put("success", true));
                }
                case "POST /admin/reset" -> {
                    fake.reset();
                    json.respond(200, JsonExchange.JSON.createObjectNode().put("success", true));
                }
                case "GET /admin/objects" -> {
                    ArrayNode list = JsonExchange.JSON.createArrayNode();
                    for (GeofaVersion v : fake.versions(json.query().getOrDefault("theme", ""))) {
                        list.addObject()
                                .put("objekt_id", v.objektId().toString())
                                .put("versions_id", v.versionsId().toString())
                                .put("systid_fra", v.systidFra().toString())
                                .put("systid_til", v.systidTil().map(Object::toString).orElse(null))
                                .put("oprettet", v.oprettet().toString())
                                .set("values", v.values());
                    }
                    json.respond(200, list);
                }
                case "GET /admin/traffic" -> json.respond(200, traffic());
                case "DELETE /admin/traffic" -> {
                    fake.resetTraffic();
                    json.respond(200, JsonExchange.JSON.createObjectNode().put("success", true));
                }
                default -> json.error(404, "no admin route " + route);
            }
        } catch (IllegalArgumentException e) {
            json.error(400, e.getMessage());
        }
    }

    /**
     * E.g. {@code {"rateLimitPerMinute": 120, "requests": 130, "refused": 10, "busiestMinute": 130,
     * "minutes": [{"start": "2026-11-22T10:00:00Z", "requests": 130, "refused": 10, "busiestToken": 130}]}}.
     */
    private ObjectNode traffic() {
        Traffic traffic = fake.traffic();
        ObjectNode body = JsonExchange.JSON.createObjectNode()
                .put("rateLimitPerMinute", fake.rateLimit())
                .put("requests", traffic.requests())
                .put("refused", traffic.refused())
                .put("busiestMinute", traffic.busiestMinute());
        ArrayNode minutes = body.putArray("minutes");
        for (Traffic.Minute m : traffic.minutes()) {
            minutes.addObject()
                    .put("start", m.start().toString())
                    .put("requests", m.requests())
                    .put("refused", m.refused())
                    .put("busiestToken", m.busiestToken());
        }
        return body;
    }

    /**
     * Arms what the body names, e.g. {@code {"latencyMs": 200, "failNext": {"count": 2, "status": 503},
     * "failShare": {"share": 0.1, "status": 500}, "throttleNext": {"count": 1, "retryAfterSeconds": 2},
     * "hangNext": {"count": 1, "seconds": 30}, "applyLateNext": {"count": 1, "seconds": 40}, "loseResponseNext": {"count": 1, "mode": "drop"|"bad_gateway"},
     * "expireTokens": true}}.
     */
    private void arm(JsonNode body) {
        Faults faults = fake.faults();
        if (body.has("latencyMs")) {
            faults.latency(Duration.ofMillis(body.get("latencyMs").asLong()));
        }
        if (body.has("failNext")) {
            faults.failNext(body.get("failNext").path("count").asInt(1), body.get("failNext").path("status").asInt(500));
        }
        if (body.has("failShare")) {
            faults.failShare(body.get("failShare").path("share").asDouble(), body.get("failShare").path("status").asInt(500));
        }
        if (body.has("throttleNext")) {
            faults.throttleNext(body.get("throttleNext").path("count").asInt(1),
                    Duration.ofSeconds(body.get("throttleNext").path("retryAfterSeconds").asLong(1)));
        }
        if (body.has("hangNext")) {
            faults.hangNext(body.get("hangNext").path("count").asInt(1), Duration.ofSeconds(body.get("hangNext").path("seconds").asLong(60)));
        }
        if (body.has("applyLateNext")) {
            faults.applyLate(body.get("applyLateNext").path("count").asInt(1), Duration.ofSeconds(body.get("applyLateNext").path("seconds").asLong(40)));
        }
        if (body.has("loseResponseNext")) {
            String mode = body.get("loseResponseNext").path("mode").asText("drop");
            faults.loseResponseAfterCommit(body.get("loseResponseNext").path("count").asInt(1),
                    mode.equals("bad_gateway") ? LostResponse.BAD_GATEWAY
                            : mode.equals("database_connection_lost") ? LostResponse.DATABASE_CONNECTION_LOST : LostResponse.DROP_CONNECTION);
        }
        if (body.path("expireTokens").asBoolean(false)) {
            faults.expireTokens();
        }
    }
}
