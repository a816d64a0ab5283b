package dk.geofasync.app.catalogue;

import dk.geofasync.core.fkg.ColumnAccess;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgCode;
import dk.geofasync.core.fkg.FkgCodeList;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What differs between two catalogues, one line per theme column or code list, in words a
 * municipality can act on: themes, columns, types and length limits, NOT NULL, code lists, and codes
 * added, removed, relabelled or (de)activated. Column order, titles and CHECK texts are left out.
 */
public final class CatalogueDiff {

    /** Codes named per kind of change on one line; the rest are counted. */
    private static final int CODES_SHOWN = 10;

    private final List<String> lines = new ArrayList<>();

    private CatalogueDiff() {
    }

    /** What {@code after} changes against {@code before}. */
    public static CatalogueDiff between(FkgCatalogue before, FkgCatalogue after) {
        CatalogueDiff diff = new CatalogueDiff();
        for (FkgTheme was : before.themes()) {
            after.theme(was.name()).ifPresentOrElse(now -> diff.theme(was, now), () -> diff.lines.add(was.name() + ": theme gone"));
        }
        for (FkgTheme now : after.themes()) {
            if (before.theme(now.name()).isEmpty()) {
                diff.lines.add(now.name() + ": new theme, " + now.geometryType().geoJsonName() + ", " + now.columns().size() + " columns");
            }
        }
        for (FkgCodeList was : before.codeLists()) {
            after.codeList(was.name()).ifPresentOrElse(now -> diff.codes(was, now), () -> diff.lines.add("code list " + was.name() + ": gone"));
        }
        for (FkgCodeList now : after.codeLists()) {
            if (before.codeList(now.name()).isEmpty()) {
                diff.lines.add("code list " + now.name() + ": new, " + now.codes().size() + " codes");
            }
        }
        return diff;
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    private void theme(FkgTheme was, FkgTheme now) {
        if (was.geometryType() != now.geometryType()) {
            lines.add(was.name() + ": geometry " + was.geometryType().geoJsonName() + " -> " + now.geometryType().geoJsonName());
        }
        for (FkgColumn c : was.columns()) {
            String name = was.name() + "." + c.name();
            now.column(c.name()).ifPresentOrElse(n -> column(name, c, n), () -> lines.add(name + ": column gone"));
        }
        for (FkgColumn n : now.columns()) {
            if (was.column(n.name()).isEmpty()) {
                lines.add(was.name() + "." + n.name() + ": new column, " + n.sqlType() + (n.required() ? " NOT NULL" : "")
                        + n.codeList().map(l -> ", code list " + l).orElse("") + (n.writable() ? "" : ", read-only"));
            }
        }
    }

    private void column(String name, FkgColumn was, FkgColumn now) {
        List<String> changes = new ArrayList<>();
        if (!was.sqlType().equals(now.sqlType())) {
            changes.add(was.sqlType() + " -> " + now.sqlType());
        }
        if (was.required() != now.required()) {
            changes.add(now.required() ? "now NOT NULL" : "no longer NOT NULL");
        }
        if (was.access() != now.access()) {
            changes.add(access(was.access()) + " -> " + access(now.access()));
        }
        if (!was.codeList().equals(now.codeList())) {
            changes.add("code list " + was.codeList().orElse("none") + " -> " + now.codeList().orElse("none"));
        }
        if (!changes.isEmpty()) {
            lines.add(name + ": " + String.join(", ", changes));
        }
    }

    private void codes(FkgCodeList was, FkgCodeList now) {
        List<String> parts = new ArrayList<>();
        part(parts, "added", now.codes().stream().filter(c -> was.find(c.code()).isEmpty()).toList(), CatalogueDiff::named);
        part(parts, "removed", was.codes().stream().filter(c -> now.find(c.code()).isEmpty()).toList(), CatalogueDiff::named);
        List<FkgCode> relabelled = new ArrayList<>();
        List<FkgCode> activated = new ArrayList<>();
        List<FkgCode> deactivated = new ArrayList<>();
        for (FkgCode c : now.codes()) {
            Optional<FkgCode> old = was.find(c.code());
            if (old.isPresent() && !old.get().label().equals(c.label())) {
                relabelled.add(c);
            }
            if (old.isPresent() && old.get().active() != c.active()) {
                (c.active() ? activated : deactivated).add(c);
            }
        }
        part(parts, "relabelled", relabelled, c -> c.code() + " '" + was.find(c.code()).map(FkgCode::label).orElse("") + "' -> '" + c.label() + "'");
        part(parts, "now active", activated, FkgCode::code);
        part(parts, "no longer active", deactivated, FkgCode::code);
        if (!was.keyColumn().equals(now.keyColumn()) || !was.labelColumn().equals(now.labelColumn())) {
            parts.add("columns " + was.keyColumn() + "/" + was.labelColumn() + " -> " + now.keyColumn() + "/" + now.labelColumn());
        }
        if (!parts.isEmpty()) {
            lines.add("code list " + was.name() + ": " + String.join("; ", parts));
        }
    }

    private static void part(List<String> parts, String what, List<FkgCode> codes, Function<FkgCode, String> shown) {
        if (codes.isEmpty()) {
            return;
        }
        String named = codes.stream().limit(CODES_SHOWN).map(shown).collect(Collectors.joining(", "));
        parts.add(codes.size() + " " + what + " (" + named + (codes.size() > CODES_SHOWN ? ", and " + (codes.size() - CODES_SHOWN) + " more" : "") + ")");
    }

    private static String access(ColumnAccess access) {
        return switch (access) {
            case WRITE -> "written by the client";
            case DERIVED -> "derived (read-only)";
            case SERVER -> "set by GeoFA";
        };
    }

    private static String named(FkgCode c) {
        return c.code() + " " + c.label();
    }
}
