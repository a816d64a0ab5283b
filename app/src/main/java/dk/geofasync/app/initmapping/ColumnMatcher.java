package dk.geofasync.app.initmapping;

import dk.geofasync.core.fkg.ColumnAccess;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.mapping.VkTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Matches a VK table's columns to a GeoFA theme's columns by name: the same name first, then the same
 * name spelt otherwise (case, underscores, æ/ø/å), then a name a few letters apart of a fitting type.
 * The primary key becomes the key, a uuid column named like objekt_id receives GeoFA's objekt_id, and
 * the geometry column is found by its type. Only columns geofa-sync may write are ever targets: a VK
 * column whose name leads to a column GeoFA sets or derives, or to noegle, is left out with the reason.
 */
public final class ColumnMatcher {

    /** GeoFA's noegle carries geofa-sync's correlation key; no VK column may fill it. */
    private static final String CORRELATION_COLUMN = "noegle";
    private static final String OBJEKT_ID = "objekt_id";

    private ColumnMatcher() {
    }

    public static MappingProposal propose(VkTable table, FkgTheme theme, List<VkColumn> vkColumns) {
        Optional<String> key = vkColumns.stream().filter(VkColumn::primaryKey).map(VkColumn::name).findFirst();
        Optional<VkColumn> objektId = objektIdColumn(vkColumns, key);
        List<MappingProposal.Match> matches = new ArrayList<>();
        Map<String, String> unmatched = new LinkedHashMap<>();
        List<VkColumn> rest = new ArrayList<>();
        for (VkColumn c : vkColumns) {
            if (key.filter(c.name()::equals).isPresent() || objektId.filter(o -> o.name().equals(c.name())).isPresent()) {
                continue;
            }
            rest.add(c);
        }
        rest = geometry(theme, rest, matches, unmatched);
        byName(theme, rest, matches, unmatched);
        Set<String> filled = new HashSet<>();
        matches.forEach(m -> filled.add(m.geofaColumn()));
        List<FkgColumn> missing = theme.requiredColumns().stream().filter(c -> !filled.contains(c.name())).toList();
        // keep the table's own column order, so the file reads like the table
        List<String> order = vkColumns.stream().map(VkColumn::name).toList();
        matches.sort(Comparator.comparingInt(m -> order.indexOf(m.vkColumn())));
        List<MappingProposal.Unmatched> left = new ArrayList<>();
        order.stream().filter(unmatched::containsKey).forEach(n -> left.add(new MappingProposal.Unmatched(n, unmatched.get(n))));
        String objektIdName = objektId.map(VkColumn::name)
                .orElse(order.contains(OBJEKT_ID) ? "geofa_objekt_id" : OBJEKT_ID); // a column to add, under a free name
        return new MappingProposal(table, theme, key, objektIdName, objektId.isPresent(), matches, left, missing);
    }

    /**
     * A uuid column named like objekt_id (other than the key): so named, spelt otherwise, a few letters
     * off, or with objekt_id in its name ({@code geofa_objekt_id}); else any column named so once spelt alike.
     */
    private static Optional<VkColumn> objektIdColumn(List<VkColumn> columns, Optional<String> key) {
        String wanted = SimilarNames.normalise(OBJEKT_ID);
        List<VkColumn> candidates = columns.stream().filter(c -> key.filter(c.name()::equals).isEmpty()).toList();
        return candidates.stream().filter(VkColumn::isUuid).filter(c -> c.name().equals(OBJEKT_ID)).findFirst()
                .or(() -> candidates.stream().filter(VkColumn::isUuid).filter(c -> SimilarNames.normalise(c.name()).equals(wanted)).findFirst())
                .or(() -> candidates.stream().filter(VkColumn::isUuid)
                        .filter(c -> SimilarNames.distance(SimilarNames.normalise(c.name()), wanted) <= 2).findFirst())
                .or(() -> candidates.stream().filter(VkColumn::isUuid).filter(c -> SimilarNames.normalise(c.name()).contains(wanted)).findFirst())
                .or(() -> candidates.stream().filter(c -> SimilarNames.normalise(c.name()).equals(wanted)).findFirst());
    }

    /** Matches the theme's geometry column to a VK geometry column; returns the VK columns still to match. */
    private static List<VkColumn> geometry(FkgTheme theme, List<VkColumn> columns, List<MappingProposal.Match> matches,
                                           Map<String, String> unmatched) {
        List<VkColumn> geometries = columns.stream().filter(VkColumn::isGeometry).toList();
        Optional<FkgColumn> target = theme.column(FkgTheme.GEOMETRY_COLUMN).filter(c -> c.type() == FkgType.GEOMETRY);
        if (target.isEmpty()) {
            geometries.forEach(g -> unmatched.put(g.name(), "a geometry, and GeoFA's theme " + theme.name() + " has none"));
        } else if (!geometries.isEmpty()) {
            // with several, the one named most like GeoFA's (geometri, geom, the_geom ...) wins
            VkColumn chosen = geometries.stream().min(Comparator.comparingInt(
                    g -> SimilarNames.distance(SimilarNames.normalise(g.name()), SimilarNames.normalise(FkgTheme.GEOMETRY_COLUMN)))).orElseThrow();
            matches.add(new MappingProposal.Match(chosen.name(), target.get().name(),
                    chosen.name().equals(target.get().name()) ? MappingProposal.How.SAME_NAME : MappingProposal.How.GEOMETRY));
            geometries.stream().filter(g -> g != chosen).forEach(g -> unmatched.put(g.name(),
                    "another geometry; GeoFA's theme has one, filled from " + chosen.name()));
        }
        return columns.stream().filter(c -> !c.isGeometry()).toList();
    }

    /** One way a VK column could lead to a GeoFA column, and how good it is (lower is better): by name, then type, then edits. */
    private record Candidate(VkColumn vk, FkgColumn geofa, int stage, int typeDiffers, int distance) {
        static final Comparator<Candidate> BEST_FIRST = Comparator.comparingInt(Candidate::stage)
                .thenComparingInt(Candidate::typeDiffers).thenComparingInt(Candidate::distance);

        boolean sameRank(Candidate o) {
            return stage == o.stage && typeDiffers == o.typeDiffers && distance == o.distance;
        }
    }

    private static void byName(FkgTheme theme, List<VkColumn> columns, List<MappingProposal.Match> matches, Map<String, String> unmatched) {
        List<Candidate> candidates = new ArrayList<>();
        for (VkColumn vk : columns) {
            for (FkgColumn geofa : theme.columns()) {
                if (geofa.type() != FkgType.GEOMETRY) {
                    candidate(vk, geofa).ifPresent(candidates::add);
                }
            }
        }
        candidates.sort(Candidate.BEST_FIRST);
        Set<String> doneVk = new HashSet<>();
        Set<String> takenGeofa = new HashSet<>();
        matches.forEach(m -> takenGeofa.add(m.geofaColumn()));
        for (Candidate c : candidates) {
            if (doneVk.contains(c.vk().name()) || takenGeofa.contains(c.geofa().name())) {
                continue;
            }
            doneVk.add(c.vk().name());
            Optional<String> refused = refusal(theme, c.geofa());
            if (refused.isPresent()) {
                unmatched.put(c.vk().name(), refused.get());
                continue;
            }
            List<String> tied = candidates.stream().filter(o -> o != c && o.vk() == c.vk() && o.sameRank(c)
                    && !takenGeofa.contains(o.geofa().name())).map(o -> o.geofa().name()).toList();
            if (!tied.isEmpty()) {
                unmatched.put(c.vk().name(), "as close to " + c.geofa().name() + " as to " + String.join(" and ", tied) + "; choose one");
                continue;
            }
            takenGeofa.add(c.geofa().name());
            matches.add(new MappingProposal.Match(c.vk().name(), c.geofa().name(), switch (c.stage()) {
                case 0 -> MappingProposal.How.SAME_NAME;
                case 1 -> MappingProposal.How.SAME_NAME_SPELT_OTHERWISE;
                default -> MappingProposal.How.CLOSE_NAME;
            }));
        }
        for (VkColumn vk : columns) {
            if (!doneVk.contains(vk.name())) {
                unmatched.put(vk.name(), "no GeoFA column of " + theme.name() + " has this name or one close to it");
            }
        }
    }

    private static Optional<Candidate> candidate(VkColumn vk, FkgColumn geofa) {
        int differs = fit(vk, geofa);
        if (vk.name().equals(geofa.name())) {
            return Optional.of(new Candidate(vk, geofa, 0, differs, 0));
        }
        String a = SimilarNames.normalise(vk.name());
        String b = SimilarNames.normalise(geofa.name());
        if (a.equals(b)) {
            return Optional.of(new Candidate(vk, geofa, 1, differs, 0));
        }
        int distance = SimilarNames.distance(a, b);
        // a merely close name must also hold the same kind of value, or it is likely another column
        if (distance <= SimilarNames.allowedDistance(a, b) && differs < NO_FIT) {
            return Optional.of(new Candidate(vk, geofa, 2, differs, distance));
        }
        return Optional.empty();
    }

    private static final int NO_FIT = 2;

    /**
     * How well a VK column's type feeds a GeoFA column's: 0 the same kind of value, 1 through text (either
     * side text, or a VK type GeoFA has no counterpart of), {@link #NO_FIT} not at all (a date into a number).
     */
    private static int fit(VkColumn vk, FkgColumn geofa) {
        if (vk.type().isEmpty()) {
            return 1;
        }
        Kind from = Kind.of(vk.type().get());
        Kind to = Kind.of(geofa.type());
        if (from == to) {
            return 0;
        }
        return from == Kind.TEXT || to == Kind.TEXT ? 1 : NO_FIT;
    }

    /** Kinds of values, coarser than types: an integer VK column may feed a numeric GeoFA column. */
    private enum Kind {
        NUMBER, TEXT, TIME, BOOLEAN, UUID, JSON, GEOMETRY;

        static Kind of(FkgType t) {
            return switch (t) {
                case INTEGER, BIGINT, DOUBLE, NUMERIC -> NUMBER;
                case VARCHAR, CHAR, TEXT -> TEXT;
                case DATE, TIMESTAMPTZ -> TIME;
                case BOOLEAN -> BOOLEAN;
                case UUID -> UUID;
                case JSONB -> JSON;
                case GEOMETRY -> GEOMETRY;
            };
        }
    }

    /** Why a GeoFA column cannot be a target, or empty when geofa-sync may write it. */
    private static Optional<String> refusal(FkgTheme theme, FkgColumn geofa) {
        if (geofa.name().equals(CORRELATION_COLUMN)) {
            return Optional.of("GeoFA's noegle holds geofa-sync's correlation key; no VK column may fill it");
        }
        if (geofa.access() == ColumnAccess.SERVER) {
            return Optional.of("GeoFA sets " + geofa.name() + " itself (it can come back into VK under write_back)");
        }
        if (geofa.access() == ColumnAccess.DERIVED) {
            return Optional.of("GeoFA derives " + geofa.name() + geofa.derivedFrom().flatMap(theme::column).filter(FkgColumn::writable)
                    .map(s -> " from " + s.name() + "; map the VK column holding that code to " + s.name()).orElse(" itself")
                    + " (it can come back into VK under write_back)");
        }
        return Optional.empty();
    }
}
