package dk.geofasync.core.fkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GeoFA data model geofa-sync knows: every FKG theme with its columns and rules, and every code
 * list with its values. The shipped one ({@code fkg-catalogue.json}) is generated from the real model by
 * {@code geofa-sync catalogue}, never written by hand; the mapping, the checks before sending, the
 * refusal reasons and the fake GeoFA all read it, so they agree with each other and with the model it
 * was read from. A municipality whose GeoFA is newer points {@value #FILE_VARIABLE} at a catalogue it
 * generated from production ({@code catalogue --from-geofa --out}), and that one is used instead.
 */
public final class FkgCatalogue {

    /** The resource the shipped catalogue is read from. */
    public static final String RESOURCE = "fkg-catalogue.json";
    /** The environment variable naming a catalogue file to use instead of the shipped one. */
    public static final String FILE_VARIABLE = "GEOFA_SYNC_CATALOGUE";

    private final CatalogueSource source;
    private final Map<String, FkgTheme> themes = new LinkedHashMap<>();
    private final Map<String, FkgCodeList> codeLists = new LinkedHashMap<>();

    public FkgCatalogue(CatalogueSource source, List<FkgTheme> themes, List<FkgCodeList> codeLists) {
        this.source = source;
        // every name goes into SQL (statements to GeoFA, the fake's DDL); a file or a remote meta answer must not smuggle any in
        for (FkgTheme t : themes) {
            requireName(t.name(), "theme");
            t.columns().forEach(c -> {
                requireName(c.name(), t.name() + " column");
                c.codeList().ifPresent(l -> requireName(l, t.name() + "." + c.name() + " code list"));
                c.foreignKey().ifPresent(k -> requireName(k, t.name() + "." + c.name() + " foreign key"));
                c.checks().forEach(k -> requireName(k.name(), t.name() + "." + c.name() + " check"));
            });
        }
        for (FkgCodeList l : codeLists) {
            requireName(l.name(), "code list");
            requireName(l.keyColumn(), l.name() + " key column");
            requireName(l.labelColumn(), l.name() + " label column");
            l.extraColumns().forEach(e -> requireName(e, l.name() + " column"));
        }
        themes.stream().sorted(Comparator.comparingInt(FkgTheme::temakode).thenComparing(FkgTheme::name))
                .forEach(t -> this.themes.put(t.name(), t));
        codeLists.stream().sorted(Comparator.comparing(FkgCodeList::name)).forEach(l -> this.codeLists.put(l.name(), l));
        for (FkgTheme t : this.themes.values()) {
            for (FkgColumn c : t.columns()) {
                c.codeList().filter(l -> !this.codeLists.containsKey(l)).ifPresent(l -> {
                    throw new IllegalArgumentException(t.name() + "." + c.name() + " names code list " + l + ", which the catalogue lacks");
                });
            }
        }
    }

    private static void requireName(String name, String what) {
        if (!dk.geofasync.core.mapping.SqlIdentifier.isValid(name)) {
            throw new IllegalArgumentException("the catalogue's " + what + " '" + name + "' is not a plain SQL name");
        }
    }

    /** The catalogue geofa-sync uses: the file {@value #FILE_VARIABLE} names, else the one shipped with it. */
    public static FkgCatalogue standard() {
        return Holder.STANDARD;
    }

    /** A catalogue file, as {@link #write} writes it. */
    public static FkgCatalogue read(String sourceName, InputStream in) {
        return CatalogueJson.read(sourceName, in);
    }

    public void write(Writer out) throws IOException {
        CatalogueJson.write(this, out);
    }

    public CatalogueSource source() {
        return source;
    }

    public Optional<FkgTheme> theme(String name) {
        return Optional.ofNullable(themes.get(name));
    }

    /** All themes, by theme number. */
    public List<FkgTheme> themes() {
        return List.copyOf(themes.values());
    }

    public Optional<FkgCodeList> codeList(String name) {
        return Optional.ofNullable(codeLists.get(name));
    }

    /** All code lists, by name. */
    public List<FkgCodeList> codeLists() {
        return List.copyOf(codeLists.values());
    }

    /** The code list a column takes its values from, if it has one. */
    public Optional<FkgCodeList> codeListOf(FkgColumn column) {
        return column.codeList().map(codeLists::get);
    }

    private static final class Holder {
        static final FkgCatalogue STANDARD = load();
    }

    private static FkgCatalogue load() {
        String file = System.getenv(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(file))) {
                return read(file, in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the catalogue " + file + " (" + FILE_VARIABLE + ")", e);
            }
        }
        try (InputStream in = FkgCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the core jar");
            }
            return read(RESOURCE, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
