package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** {@code GET /api/v3/meta/fkg.<theme>}: a theme's columns, their types, and the values of its code lists. */
final class MetaEndpoint implements HttpHandler {

    private static final String PREFIX = "/api/v3/meta/";

    private final FkgCatalogue catalogue;
    private final CodeLists codeLists;

    MetaEndpoint(FkgCatalogue catalogue, CodeLists codeLists) {
        this.catalogue = catalogue;
        this.codeLists = codeLists;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        JsonExchange json = new JsonExchange(exchange);
        String relation = exchange.getRequestURI().getPath().substring(PREFIX.length());
        Optional<FkgTheme> theme = relation.startsWith("fkg.") ? catalogue.theme(relation.substring(4)) : Optional.empty();
        if (theme.isEmpty()) {
            json.error(404, "no relation " + relation);
            return;
        }
        ObjectNode answer = JsonExchange.JSON.createObjectNode().put("relation", relation)
                .put("geometry_type", theme.get().geometryType().geoJsonName()).put("srid", 25832);
        ArrayNode columns = answer.putArray("columns");
        for (FkgColumn c : theme.get().columns()) {
            ObjectNode column = columns.addObject()
                    .put("name", c.name())
                    .put("type", c.sqlType())
                    .put("nullable", !c.required())
                    .put("writable", c.writable());
            c.range().ifPresent(r -> column.putObject("check").put("min", r.min()).put("max", r.max()));
            c.codeList().ifPresent(list -> {
                ArrayNode values = column.putObject("code_list").put("name", list).putArray("values");
                for (Map.Entry<Integer, String> v : codeLists.all().getOrDefault(list, Map.of()).entrySet()) {
                    values.addObject().put("kode", v.getKey()).put("begrebsvaerdi", v.getValue());
                }
            });
        }
        json.respond(200, answer);
    }
}
