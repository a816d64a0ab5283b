package dk.geofasync.core.fkg;

import com.fasterxml.jackson.annotation.JsonProperty;
import dk.geofasync.core.yaml.StrictYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GeoFA themes geofa-sync knows, read from {@code fkg-themes.yml}. The mapping is validated
 * against it and the fake GeoFA builds its tables from it, so the two cannot drift apart.
 */
public final class FkgCatalogue {

    private static final String RESOURCE = "fkg-themes.yml";
    /** The column group of GeoFA's generic part, shared by every theme. */
    private static final String GENERIC_GROUP = "generic";
    private static final Pattern TYPE = Pattern.compile("([a-z]+)(?:\\((\\d+)\\))?");

    private final Map<String, FkgTheme> themes;

    private FkgCatalogue(Map<String, FkgTheme> themes) {
        this.themes = Map.copyOf(themes);
    }

    /** The catalogue shipped with geofa-sync. */
    public static FkgCatalogue standard() {
        return Holder.STANDARD;
    }

    public Optional<FkgTheme> theme(String name) {
        return Optional.ofNullable(themes.get(name));
    }

    /** All themes, by theme number. */
    public List<FkgTheme> themes() {
        return themes.values().stream().sorted(java.util.Comparator.comparingInt(FkgTheme::temakode)).toList();
    }

    private static final class Holder {
        static final FkgCatalogue STANDARD = load();
    }

    private static FkgCatalogue load() {
        try (InputStream in = FkgCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the core jar");
            }
            return fromFile(StrictYaml.read(RESOURCE, in, CatalogueFile.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FkgCatalogue fromFile(CatalogueFile file) {
        Map<String, FkgTheme> themes = new LinkedHashMap<>();
        for (ThemeEntry entry : file.themes()) {
            GeometryType geometryType = GeometryType.fromName(entry.geometry()).orElseThrow(
                    () -> new IllegalStateException(RESOURCE + ": theme " + entry.name() + ": unknown geometry " + entry.geometry()));
            List<FkgColumn> columns = new ArrayList<>();
            for (String group : entry.groups()) {
                List<ColumnEntry> groupColumns = file.groups().get(group);
                if (groupColumns == null) {
                    throw new IllegalStateException(RESOURCE + ": theme " + entry.name() + ": unknown column group " + group);
                }
                groupColumns.forEach(c -> columns.add(c.toColumn(entry.name(), group.equals(GENERIC_GROUP))));
            }
            columns.add(new FkgColumn(FkgTheme.GEOMETRY_COLUMN, FkgType.GEOMETRY, OptionalInt.empty(), true,
                    ColumnAccess.WRITE, Optional.empty(), Optional.empty(), false));
            themes.put(entry.name(), new FkgTheme(entry.name(), entry.temakode(), entry.title(), geometryType, columns));
        }
        return new FkgCatalogue(themes);
    }

    record CatalogueFile(Map<String, List<ColumnEntry>> groups, List<ThemeEntry> themes) {
    }

    record ThemeEntry(String name, int temakode, String title, String geometry, List<String> groups) {
    }

    record ColumnEntry(String name, String type, Boolean required, String access,
                       @JsonProperty("codeList") String codeList, List<Long> range) {

        FkgColumn toColumn(String theme, boolean generic) {
            Matcher m = TYPE.matcher(type);
            if (!m.matches()) {
                throw new IllegalStateException(RESOURCE + ": " + theme + "." + name + ": cannot read type " + type);
            }
            FkgType fkgType = FkgType.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            OptionalInt length = m.group(2) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(2)));
            ColumnAccess columnAccess = access == null ? ColumnAccess.WRITE : ColumnAccess.valueOf(access.toUpperCase(Locale.ROOT));
            Optional<IntRange> checkRange = range == null ? Optional.empty() : Optional.of(new IntRange(range.get(0), range.get(1)));
            return new FkgColumn(name, fkgType, length, Boolean.TRUE.equals(required), columnAccess,
                    Optional.ofNullable(codeList), checkRange, generic);
        }
    }
}
