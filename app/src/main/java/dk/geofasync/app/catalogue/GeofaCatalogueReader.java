package dk.geofasync.app.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.applier.geofa.RequestBudget;
import dk.geofasync.core.fkg.CatalogueSource;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgCodeList;
import dk.geofasync.core.fkg.FkgTheme;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads GeoFA's data model from a live GeoFA through its own API, for a municipality to check the
 * shipped catalogue against production or refresh it: the themes, their columns, types, NOT NULL and
 * code-list links from GC2's meta of schema {@code fkg} (one request), the code lists' values through
 * the v4 SQL API (a few lists per request), and the model's version as GeoFA's database states it.
 * What meta does not give is kept from the shipped catalogue, and the notes say what.
 */
public final class GeofaCatalogueReader {

    /** The schema GeoFA keeps the FKG model in. */
    static final String SCHEMA = "fkg";
    /** The comment on schema fkg states the model's version ("GeoFA DB version 1.6. …" in OpenFKG's model). */
    static final String REVISION = "select obj_description('fkg'::regnamespace, 'pg_namespace') as revision";

    /**
     * What a refresh found: the catalogue, what it kept or left out and why, and what it cost in
     * requests (the login does not count against GeoFA's rate limit; the rest do).
     */
    public record Refresh(FkgCatalogue catalogue, List<String> notes, int logins, int metaRequests, int sqlRequests) {
        public Refresh {
            notes = List.copyOf(notes);
        }

        public int requests() {
            return logins + metaRequests + sqlRequests;
        }
    }

    private final GeofaSettings settings;
    private final FkgCatalogue shipped;

    /** Reads within {@link GeofaSettings#requestsPerMinute()}, the budget the applier keeps to as well. */
    public GeofaCatalogueReader(GeofaSettings settings, FkgCatalogue shipped) {
        this.settings = settings;
        this.shipped = shipped;
    }

    /** Reads GeoFA; {@code generator} is stamped into the catalogue's source. */
    public Refresh read(String generator) {
        GeofaReadClient geofa = new GeofaReadClient(settings,
                RequestBudget.of(settings.baseUrl().resolve("/").toString(), settings.user(), settings.requestsPerMinute()));
        List<String> notes = new ArrayList<>();
        List<GeofaMeta.Relation> relations = GeofaMeta.relations(geofa.meta(SCHEMA), SCHEMA);
        List<FkgTheme> themes = themes(relations, notes);
        if (themes.isEmpty()) {
            throw new IllegalStateException("GeoFA's meta of schema " + SCHEMA + " lists no theme views (" + relations.size()
                    + " relations): may user " + settings.user() + " see them?");
        }
        List<FkgCodeList> wanted = new ArrayList<>();
        new TreeSet<>(themes.stream().flatMap(t -> t.columns().stream()).flatMap(c -> c.codeList().stream()).toList())
                .forEach(name -> wanted.add(shipped.codeList(name).orElseThrow()));
        Map<String, FkgCodeList> codeLists = new CodeListSelect(geofa, notes::add).read(wanted);
        String revision = revision(geofa, notes);
        CatalogueSource source = new CatalogueSource("GeoFA", revision, GeofaReadClient.address(settings.baseUrl()),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), generator);
        FkgCatalogue catalogue = new FkgCatalogue(source, themes, List.copyOf(codeLists.values()));
        return new Refresh(catalogue, notes, geofa.count(GeofaReadClient.Kind.LOGIN), geofa.count(GeofaReadClient.Kind.META),
                geofa.count(GeofaReadClient.Kind.SQL));
    }

    private List<FkgTheme> themes(List<GeofaMeta.Relation> relations, List<String> notes) {
        Map<String, GeofaMeta.Relation> tables = new HashMap<>();
        List<GeofaMeta.Relation> views = new ArrayList<>();
        for (GeofaMeta.Relation r : relations) {
            if (isView(r, relations)) {
                views.add(r);
            } else {
                tables.put(r.name(), r);
            }
        }
        ThemeMerge merge = new ThemeMerge(shipped, tables, notes::add);
        List<FkgTheme> themes = new ArrayList<>();
        List<String> withoutTables = new ArrayList<>();
        for (GeofaMeta.Relation view : views) {
            if (!tables.containsKey(view.name() + "_t") || !tables.containsKey(FkgModelReader.GENERIC_TABLE)) {
                withoutTables.add(view.name());
            }
            themes.add(merge.theme(view));
        }
        if (!tables.isEmpty() && tables.values().stream().flatMap(t -> t.columns().stream()).noneMatch(c -> c.references().isPresent())) {
            notes.add("GeoFA's meta names no foreign keys (GC2's meta since 2026 leaves them out): code-list links are kept from the "
                    + "shipped catalogue");
        }
        if (!withoutTables.isEmpty()) {
            String named = String.join(", ", withoutTables.subList(0, Math.min(5, withoutTables.size()))) + (withoutTables.size() > 5 ? ", …" : "");
            notes.add("meta describes no table behind " + withoutTables.size() + " theme(s) (" + named + "): their NOT NULL, "
                    + "code-list links and who writes each column are kept from the shipped catalogue");
        }
        return themes;
    }

    /**
     * A theme view: named {@code t_NNNN_…}, and a view where meta says so. GC2 before 2025 does not say;
     * then a name whose {@code _t} suffix leaves another listed relation's name is that theme's table.
     */
    private static boolean isView(GeofaMeta.Relation r, List<GeofaMeta.Relation> all) {
        if (!ThemeMerge.isThemeName(r.name())) {
            return false;
        }
        if (r.relType().isPresent()) {
            return r.relType().get().equalsIgnoreCase("VIEW");
        }
        return !(r.name().endsWith("_t") && all.stream().anyMatch(o -> o.name().equals(r.name().substring(0, r.name().length() - 2))));
    }

    /** What GeoFA's database says its model is; a select of no relation passes GC2's check of which relations a user may read. */
    private static String revision(GeofaReadClient geofa, List<String> notes) {
        try {
            JsonNode rows = geofa.select(REVISION).path("data");
            Optional<String> stated = rows.isEmpty() || rows.get(0).path("revision").isNull() ? Optional.empty()
                    : Optional.of(rows.get(0).path("revision").asText().strip()).filter(s -> !s.isEmpty());
            if (stated.isPresent()) {
                return stated.get().lines().findFirst().orElse("");
            }
            notes.add("GeoFA's schema " + SCHEMA + " states no version (no comment on it): revision is 'unknown'");
        } catch (GeofaReadClient.Refused e) {
            notes.add("GeoFA refused to say its model's version (" + e.getMessage().lines().findFirst().orElse("") + "): revision is 'unknown'");
        }
        return "unknown";
    }

    /** Lines that say what a refresh from GeoFA keeps from the shipped catalogue, always. */
    public static List<String> keptFromShipped() {
        return List.of("CHECK rules and constraint names: GeoFA's meta gives neither (GC2 keeps a CHECK's first parentheses only)",
                "which derived column shows which code's text, and theme titles");
    }
}
