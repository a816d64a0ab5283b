package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** {@code POST /api/v4/oauth}: password and refresh_token grants, as GeoFA's v4 API has them. */
final class OAuthEndpoint implements HttpHandler {

    private final List<GeofaUser> users;
    private final Tokens tokens;

    OAuthEndpoint(List<GeofaUser> users, Tokens tokens) {
        this.users = List.copyOf(users);
        this.tokens = tokens;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        JsonExchange json = new JsonExchange(exchange);
        if (!json.method().equals("POST")) {
            json.error(405, "use POST");
            return;
        }
        JsonNode body = json.body();
        String grantType = body.path("grant_type").asText("");
        Optional<Tokens.Grant> grant = switch (grantType) {
            case "password" -> password(body);
            case "refresh_token" -> tokens.refresh(body.path("refresh_token").asText(null));
            default -> {
                json.respond(400, oauthError("unsupported_grant_type", "grant_type must be password or refresh_token"));
                yield null;
            }
        };
        if (grant == null) {
            return;
        }
        if (grant.isEmpty()) {
            json.respond(400, oauthError("invalid_grant", "Could not authenticate user"));
            return;
        }
        ObjectNode answer = JsonExchange.JSON.createObjectNode()
                .put("access_token", grant.get().accessToken())
                .put("token_type", "bearer")
                .put("expires_in", grant.get().expiresInSeconds())
                .put("refresh_token", grant.get().refreshToken());
        json.respond(200, answer);
    }

    private Optional<Tokens.Grant> password(JsonNode body) {
        String user = body.path("username").asText("");
        String password = body.path("password").asText("");
        if (!"fkg".equals(body.path("database").asText(""))) {
            return Optional.empty();
        }
        return users.stream()
                .filter(u -> u.name().equals(user) && u.password().reveal().equals(password))
                .findFirst()
                .map(u -> tokens.grant(u.name()));
    }

    private static ObjectNode oauthError(String error, String description) {
        return JsonExchange.JSON.createObjectNode().put("error", error).put("error_description", description);
    }
}
