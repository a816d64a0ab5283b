package dk.geofasync.app.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.core.fkg.FkgCode;
import dk.geofasync.core.fkg.FkgCodeList;
import dk.geofasync.core.mapping.SqlIdentifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads code lists' values through GeoFA's v4 SQL API: code, text, {@code aktiv} and the list's other
 * columns the shipped catalogue knows (an authority's {@code kommunekode}). Several lists go in one
 * request, as one {@code select … union all select …}: GC2's SQL API would take an array of statements
 * too, but in one transaction, so one refused list fails the request either way, and one statement
 * keeps to what every GC2 version and the fake GeoFA take. A refused request is split in halves until
 * the refused list stands alone; that list keeps the shipped catalogue's values, and a note says so.
 */
final class CodeListSelect {

    /** Lists per request: the shipped catalogue's 119 lists (about 2,500 codes) take three requests. */
    static final int LISTS_PER_REQUEST = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GeofaReadClient geofa;
    private final Consumer<String> notes;

    CodeListSelect(GeofaReadClient geofa, Consumer<String> notes) {
        this.geofa = geofa;
        this.notes = notes;
    }

    /** The lists as GeoFA holds them, by name; {@code wanted} gives each list's key, text and extra columns. */
    Map<String, FkgCodeList> read(List<FkgCodeList> wanted) {
        Map<String, FkgCodeList> read = new LinkedHashMap<>();
        for (int i = 0; i < wanted.size(); i += LISTS_PER_REQUEST) {
            readPack(wanted.subList(i, Math.min(wanted.size(), i + LISTS_PER_REQUEST)), read);
        }
        return read;
    }

    private void readPack(List<FkgCodeList> pack, Map<String, FkgCodeList> read) {
        JsonNode answer;
        try {
            answer = geofa.select(pack.stream().map(CodeListSelect::select).collect(Collectors.joining("\nunion all\n")));
        } catch (GeofaReadClient.Refused e) {
            if (pack.size() == 1) {
                FkgCodeList shipped = pack.get(0);
                notes.accept("code list " + shipped.name() + ": GeoFA refused the select (" + e.getMessage().lines().findFirst().orElse("")
                        + "); its codes are kept from the shipped catalogue");
                read.put(shipped.name(), shipped);
                return;
            }
            readPack(pack.subList(0, pack.size() / 2), read);
            readPack(pack.subList(pack.size() / 2, pack.size()), read);
            return;
        }
        Map<String, List<JsonNode>> rows = new LinkedHashMap<>();
        pack.forEach(l -> rows.put(l.name(), new ArrayList<>()));
        answer.path("data").forEach(row -> rows.computeIfAbsent(row.path("list").asText(), k -> new ArrayList<>()).add(row));
        for (FkgCodeList list : pack) {
            List<JsonNode> listRows = rows.get(list.name());
            listRows.sort(Comparator.comparingLong(r -> r.path("n").asLong()));
            read.put(list.name(), new FkgCodeList(list.name(), list.keyColumn(), list.keyType(), list.labelColumn(),
                    listRows.stream().map(CodeListSelect::code).toList()));
        }
    }

    /**
     * One list's rows: its name, the row's place in key order (PostgreSQL's order of the key's own
     * type and collation, as the catalogue generator orders them), code and text as text. Names come
     * from the shipped catalogue and are quoted; {@code quote} refuses anything but plain identifiers.
     */
    static String select(FkgCodeList list) {
        String key = "d." + SqlIdentifier.quote(list.keyColumn());
        String extra = list.extraColumns().isEmpty() ? "null::jsonb"
                : list.extraColumns().stream().map(c -> SqlIdentifier.literal(c) + ", d." + SqlIdentifier.quote(c) + "::text")
                        .collect(Collectors.joining(", ", "jsonb_strip_nulls(jsonb_build_object(", "))"));
        return "select " + SqlIdentifier.literal(list.name()) + "::text as list, row_number() over (order by " + key + ") as n, "
                + key + "::text as code, d." + SqlIdentifier.quote(list.labelColumn()) + "::text as label, d.aktiv::text as aktiv, "
                + extra + " as extra from fkg." + SqlIdentifier.quote(list.name()) + " d";
    }

    private static FkgCode code(JsonNode row) {
        String active = row.path("aktiv").isNull() ? null : row.path("aktiv").asText();
        Map<String, String> extra = new LinkedHashMap<>();
        extraObject(row.path("extra")).fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                extra.put(e.getKey(), e.getValue().asText());
            }
        });
        return new FkgCode(row.path("code").asText(), row.path("label").isNull() ? "" : row.path("label").asText(),
                FkgCode.activeFlag(active), extra);
    }

    /** GC2 hands jsonb over as JSON where it converts types (the v4 default), else as its text. */
    private static JsonNode extraObject(JsonNode extra) {
        if (extra.isTextual()) {
            try {
                return JSON.readTree(extra.asText());
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }
        return extra;
    }
}
