package dk.geofasync.core.fkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The catalogue file ({@code fkg-catalogue.json}): one theme column or one code list per line, so a
 * refresh from a newer model shows as a readable diff. Read and written here only, so both agree.
 */
final class CatalogueJson {

    static final String FORMAT = "geofa-sync.fkg-catalogue";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogueJson() {
    }

    static FkgCatalogue read(String sourceName, InputStream in) {
        try {
            JsonNode root = JSON.readTree(in);
            if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
                throw new IllegalStateException(sourceName + " is not a " + FORMAT + " file of version " + VERSION);
            }
            JsonNode s = root.path("source");
            CatalogueSource source = new CatalogueSource(s.path("model").asText(), s.path("revision").asText(),
                    s.path("readFrom").asText(), s.path("generatedAt").asText(), s.path("generator").asText());
            List<FkgCodeList> codeLists = new ArrayList<>();
            for (JsonNode l : root.path("codeLists")) {
                List<FkgCode> codes = new ArrayList<>();
                for (JsonNode c : l.path("codes")) {
                    Map<String, String> extra = new LinkedHashMap<>();
                    c.path(3).fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue().asText()));
                    codes.add(new FkgCode(c.get(0).asText(), c.get(1).asText(), c.get(2).asBoolean(), extra));
                }
                codeLists.add(new FkgCodeList(l.path("name").asText(), l.path("key").asText(),
                        type(sourceName, l.path("keyType").asText()), l.path("label").asText(), codes));
            }
            List<FkgTheme> themes = new ArrayList<>();
            for (JsonNode t : root.path("themes")) {
                String name = t.path("name").asText();
                GeometryType geometry = GeometryType.fromName(t.path("geometry").asText()).orElseThrow(
                        () -> new IllegalStateException(sourceName + ": theme " + name + ": unknown geometry " + t.path("geometry")));
                List<FkgColumn> columns = new ArrayList<>();
                for (JsonNode c : t.path("columns")) {
                    columns.add(column(sourceName, c));
                }
                themes.add(new FkgTheme(name, t.path("temakode").asInt(), t.path("title").asText(), geometry, columns));
            }
            return new FkgCatalogue(source, themes, codeLists);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sourceName, e);
        }
    }

    private static FkgColumn column(String sourceName, JsonNode c) {
        List<FkgCheck> checks = new ArrayList<>();
        for (JsonNode k : c.path("checks")) {
            checks.add(new FkgCheck(k.path("name").asText(), k.path("expression").asText(), rule(k)));
        }
        return new FkgColumn(c.path("name").asText(), type(sourceName, c.path("type").asText()),
                c.has("length") ? OptionalInt.of(c.get("length").asInt()) : OptionalInt.empty(),
                c.path("required").asBoolean(false),
                ColumnAccess.valueOf(c.path("access").asText("write").toUpperCase(Locale.ROOT)),
                text(c, "codeList"), text(c, "foreignKey"), checks, c.path("generic").asBoolean(false), text(c, "derivedFrom"));
    }

    private static FkgCheck.Rule rule(JsonNode k) {
        return switch (k.path("kind").asText()) {
            case "range" -> new FkgCheck.Range(text(k, "min"), text(k, "max"));
            case "year" -> new FkgCheck.Year(k.path("year").asInt());
            case "one_of" -> {
                List<String> values = new ArrayList<>();
                k.path("values").forEach(v -> values.add(v.asText()));
                yield new FkgCheck.OneOf(values);
            }
            default -> new FkgCheck.Opaque();
        };
    }

    private static FkgType type(String sourceName, String name) {
        for (FkgType t : FkgType.values()) {
            if (t.fileName().equals(name)) {
                return t;
            }
        }
        throw new IllegalStateException(sourceName + ": unknown column type " + name);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    static void write(FkgCatalogue catalogue, Writer out) throws IOException {
        CatalogueSource s = catalogue.source();
        ObjectNode source = JSON.createObjectNode().put("model", s.model()).put("revision", s.revision())
                .put("readFrom", s.readFrom()).put("generatedAt", s.generatedAt()).put("generator", s.generator());
        out.write("{\"format\": \"" + FORMAT + "\", \"version\": " + VERSION + ",\n");
        out.write("\"source\": " + JSON.writeValueAsString(source) + ",\n");
        out.write("\"themes\": [\n");
        Iterator<FkgTheme> themes = catalogue.themes().iterator();
        while (themes.hasNext()) {
            FkgTheme t = themes.next();
            ObjectNode head = JSON.createObjectNode().put("name", t.name()).put("temakode", t.temakode())
                    .put("title", t.title()).put("geometry", t.geometryType().geoJsonName());
            String h = JSON.writeValueAsString(head);
            out.write(" " + h.substring(0, h.length() - 1) + ", \"columns\": [\n");
            Iterator<FkgColumn> columns = t.columns().iterator();
            while (columns.hasNext()) {
                out.write("  " + JSON.writeValueAsString(column(columns.next())) + (columns.hasNext() ? ",\n" : "\n"));
            }
            out.write(" ]}" + (themes.hasNext() ? ",\n" : "\n"));
        }
        out.write("],\n\"codeLists\": [\n");
        Iterator<FkgCodeList> lists = catalogue.codeLists().iterator();
        while (lists.hasNext()) {
            FkgCodeList l = lists.next();
            ObjectNode list = JSON.createObjectNode().put("name", l.name()).put("key", l.keyColumn())
                    .put("keyType", l.keyType().fileName()).put("label", l.labelColumn());
            ArrayNode codes = list.putArray("codes");
            for (FkgCode c : l.codes()) {
                ArrayNode code = codes.addArray();
                if (l.keyType().isWholeNumber()) {
                    code.add(Long.parseLong(c.code()));
                } else {
                    code.add(c.code());
                }
                code.add(c.label()).add(c.active());
                if (!c.extra().isEmpty()) {
                    ObjectNode extra = code.addObject();
                    c.extra().forEach(extra::put);
                }
            }
            out.write(" " + JSON.writeValueAsString(list) + (lists.hasNext() ? ",\n" : "\n"));
        }
        out.write("]}\n");
    }

    private static ObjectNode column(FkgColumn c) {
        ObjectNode n = JSON.createObjectNode().put("name", c.name()).put("type", c.type().fileName());
        c.maxLength().ifPresent(l -> n.put("length", l));
        if (c.required()) {
            n.put("required", true);
        }
        if (c.access() != ColumnAccess.WRITE) {
            n.put("access", c.access().name().toLowerCase(Locale.ROOT));
        }
        if (c.generic()) {
            n.put("generic", true);
        }
        c.codeList().ifPresent(v -> n.put("codeList", v));
        c.foreignKey().ifPresent(v -> n.put("foreignKey", v));
        c.derivedFrom().ifPresent(v -> n.put("derivedFrom", v));
        if (!c.checks().isEmpty()) {
            ArrayNode checks = n.putArray("checks");
            for (FkgCheck k : c.checks()) {
                ObjectNode check = checks.addObject().put("name", k.name()).put("expression", k.expression());
                if (k.rule() instanceof FkgCheck.Range r) {
                    check.put("kind", "range");
                    r.min().ifPresent(v -> check.put("min", v));
                    r.max().ifPresent(v -> check.put("max", v));
                } else if (k.rule() instanceof FkgCheck.Year y) {
                    check.put("kind", "year").put("year", y.year());
                } else if (k.rule() instanceof FkgCheck.OneOf o) {
                    ArrayNode values = check.put("kind", "one_of").putArray("values");
                    o.values().forEach(values::add);
                } else {
                    check.put("kind", "other");
                }
            }
        }
        return n;
    }
}
