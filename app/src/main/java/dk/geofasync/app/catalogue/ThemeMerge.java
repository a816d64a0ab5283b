package dk.geofasync.app.catalogue;

import dk.geofasync.core.fkg.ColumnAccess;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.fkg.GeometryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A theme as GeoFA's meta describes it, completed from the shipped catalogue where meta is silent.
 * From the view: which columns there are, their order, types, length limits and the geometry type.
 * From the theme's tables ({@code t_…_t} and {@code generel}, which GC2 describes like any table): NOT
 * NULL, the code list a foreign key points at, and whether a column is written or derived. Never from
 * meta: CHECK rules and constraint names
 * (GC2 keeps a CHECK's first parentheses only, without its name), which column a derived one
 * shows, and the theme's title; these stay as shipped.
 */
final class ThemeMerge {

    private static final Pattern THEME = Pattern.compile("^t_(\\d+)_");
    private static final Pattern CODE_LIST_REFERENCE = Pattern.compile("^fkg\\.(d_\\w+)\\.\\w+$");

    private final FkgCatalogue shipped;
    private final Map<String, GeofaMeta.Relation> tables;
    private final Consumer<String> notes;

    /** @param tables the relations meta describes that are tables, by name */
    ThemeMerge(FkgCatalogue shipped, Map<String, GeofaMeta.Relation> tables, Consumer<String> notes) {
        this.shipped = shipped;
        this.tables = tables;
        this.notes = notes;
    }

    static boolean isThemeName(String name) {
        return THEME.matcher(name).find();
    }

    FkgTheme theme(GeofaMeta.Relation view) {
        Optional<FkgTheme> known = shipped.theme(view.name());
        Matcher number = THEME.matcher(view.name());
        int temakode = known.map(FkgTheme::temakode).orElseGet(() -> number.find() ? Integer.parseInt(number.group(1)) : 0);
        GeometryType geometry = view.geometry().orElseGet(() -> {
            GeometryType kept = known.map(FkgTheme::geometryType).orElse(GeometryType.NONE);
            notes.accept(view.name() + ": meta gives geometry type '" + view.geometryText() + "', which geofa-sync does not know; kept "
                    + kept.geoJsonName());
            return kept;
        });
        List<FkgColumn> columns = new ArrayList<>();
        for (GeofaMeta.Column c : view.columns()) {
            column(view.name(), c, known.flatMap(t -> t.column(c.name()))).ifPresent(columns::add);
        }
        return new FkgTheme(view.name(), temakode, known.map(FkgTheme::title).or(view::title).orElse(view.name()), geometry, columns);
    }

    private Optional<FkgColumn> column(String theme, GeofaMeta.Column c, Optional<FkgColumn> known) {
        Optional<FkgType> type = c.type().or(() -> known.map(FkgColumn::type));
        if (c.type().isEmpty()) {
            notes.accept(theme + "." + c.name() + ": meta gives type '" + c.typeText() + "', which geofa-sync does not know; "
                    + (known.isPresent() ? "kept " + known.get().sqlType() : "left out"));
        }
        if (type.isEmpty()) {
            return Optional.empty();
        }
        OptionalInt length = !type.get().hasLength() ? OptionalInt.empty()
                : c.length().isPresent() ? c.length()
                : known.filter(k -> k.type() == type.get()).map(FkgColumn::maxLength).orElse(OptionalInt.empty());
        Optional<GeofaMeta.Column> inGeneric = table(FkgModelReader.GENERIC_TABLE).flatMap(t -> t.column(c.name()));
        Optional<GeofaMeta.Column> inOwn = table(theme + "_t").flatMap(t -> t.column(c.name()));
        ColumnAccess access = access(theme, c.name(), inGeneric.isPresent() || inOwn.isPresent(), known);
        boolean generic = known.map(FkgColumn::generic).orElse(inGeneric.isPresent());
        Optional<GeofaMeta.Column> base = access != ColumnAccess.WRITE ? Optional.empty()
                : generic ? inGeneric.or(() -> inOwn) : inOwn.or(() -> inGeneric);
        boolean required = access == ColumnAccess.WRITE
                && base.flatMap(GeofaMeta.Column::nullable).map(n -> !n).orElseGet(() -> known.map(FkgColumn::required).orElse(false));
        Optional<List<String>> references = base.flatMap(GeofaMeta.Column::references);
        Optional<String> codeList = references.isPresent() ? codeList(theme, c.name(), references.get()) : known.flatMap(FkgColumn::codeList);
        Optional<String> foreignKey = known.filter(k -> k.codeList().equals(codeList)).flatMap(FkgColumn::foreignKey);
        return Optional.of(new FkgColumn(c.name(), type.get(), length, required, access, codeList, foreignKey,
                known.map(FkgColumn::checks).orElse(List.of()), generic, known.flatMap(FkgColumn::derivedFrom)));
    }

    /**
     * FkgModelReader's rule: GeoFA sets its own columns; a column of {@code generel} or the theme's
     * table is written by the client; any other is derived. Without both tables in meta: as shipped.
     */
    private ColumnAccess access(String theme, String column, boolean inATable, Optional<FkgColumn> known) {
        if (FkgModelReader.SERVER_COLUMNS.contains(column)) {
            return ColumnAccess.SERVER;
        }
        if (table(FkgModelReader.GENERIC_TABLE).isEmpty() || table(theme + "_t").isEmpty()) {
            return known.map(FkgColumn::access).orElse(ColumnAccess.DERIVED);
        }
        return inATable ? ColumnAccess.WRITE : ColumnAccess.DERIVED;
    }

    /** The code list a table's column references; one the shipped catalogue lacks cannot be read (its key and text are unknown). */
    private Optional<String> codeList(String theme, String column, List<String> references) {
        for (String reference : references) {
            Matcher m = CODE_LIST_REFERENCE.matcher(reference);
            if (m.matches()) {
                if (shipped.codeList(m.group(1)).isPresent()) {
                    return Optional.of(m.group(1));
                }
                notes.accept(theme + "." + column + " references " + reference + ", a code list the shipped catalogue lacks: "
                        + "not read (generate the catalogue from the model to get it)");
            }
        }
        return Optional.empty();
    }

    private Optional<GeofaMeta.Relation> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }
}
