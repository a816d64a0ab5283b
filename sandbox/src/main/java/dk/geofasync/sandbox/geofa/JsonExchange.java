package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reading a JSON request and writing a JSON answer on one HTTP exchange of the fake GeoFA. */
final class JsonExchange {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpExchange exchange;

    JsonExchange(HttpExchange exchange) {
        this.exchange = exchange;
    }

    HttpExchange raw() {
        return exchange;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    /** The request body as JSON; an empty object when there is no body. */
    JsonNode body() throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        }
    }

    Map<String, String> query() {
        Map<String, String> params = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** The token of an {@code Authorization: Bearer …} header, or null. */
    String bearerToken() {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    }

    void respond(int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** GeoFA's error shape: {@code {"success": false, "message": …, "code": status}}. */
    void error(int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("success", false).put("message", message).put("code", status);
        respond(status, body);
    }

    /** A {@code GC2Exception} as GC2's index.php renders it: the error shape plus its {@code errorCode}. */
    void error(int status, String message, String errorCode) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("success", false).put("message", message).put("code", status).put("errorCode", errorCode);
        respond(status, body);
    }

    /** An answer without a body, e.g. 204 No Content. */
    void empty(int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    void text(int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
