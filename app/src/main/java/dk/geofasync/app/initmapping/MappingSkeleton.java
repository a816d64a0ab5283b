package dk.geofasync.app.initmapping;

import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgCode;
import dk.geofasync.core.fkg.FkgCodeList;
import dk.geofasync.core.fkg.FkgColumn;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes a {@link MappingProposal} as a mapping file: one table in the form {@code MappingLoader}
 * reads, with comments that say what was matched how, which VK columns were left out and why, and
 * what is still to do (marked TODO), so the file explains itself to whoever finishes it.
 */
public final class MappingSkeleton {

    /** Names YAML 1.1 would read as true, false or null rather than as text. */
    private static final Pattern YAML_WORD = Pattern.compile("(?i)y|yes|n|no|true|false|on|off|null|~");
    private static final int CODES_SHOWN = 6;
    private static final int COMMENT_COLUMN = 36;

    private MappingSkeleton() {
    }

    public static String render(MappingProposal p, FkgCatalogue catalogue) {
        StringBuilder y = new StringBuilder();
        y.append("# geofa-sync mapping: VK table ").append(p.table()).append(" -> GeoFA theme ").append(p.theme().name())
                .append(" (").append(p.theme().title()).append(", ").append(p.theme().geometryType().geoJsonName()).append(")\n");
        y.append("# Made by `geofa-sync init-mapping` from the table's columns and the FKG catalogue (")
                .append(catalogue.source().model()).append(" ").append(catalogue.source().revision()).append(").\n");
        y.append("# A skeleton: check the matches, do what is marked TODO, then run `geofa-sync check-mapping --mapping THIS_FILE`.\n");
        y.append("# The rules of the file are described in the header of config/mapping-vk.yml and in the README.\n");
        if (!p.unmatched().isEmpty()) {
            y.append("#\n# VK columns not synced (VK's own; add one under columns if GeoFA should have it):\n");
            int width = p.unmatched().stream().mapToInt(u -> u.vkColumn().length()).max().orElse(0);
            p.unmatched().forEach(u -> y.append("#   ").append(pad(u.vkColumn(), width)).append("  ").append(oneLine(u.reason())).append('\n'));
        }
        if (!p.missingRequired().isEmpty()) {
            y.append("#\n# Required GeoFA columns no VK column fills (TODO: a value under constants, or map a VK column to them):\n#   ")
                    .append(p.missingRequired().stream().map(FkgColumn::name).collect(Collectors.joining(", "))).append('\n');
        }
        y.append("\ntables:\n");
        y.append("  - table: ").append(p.table()).append('\n');
        y.append("    theme: ").append(p.theme().name()).append('\n');
        y.append(commented("    key:" + p.key().map(k -> " " + name(k)).orElse(""), p.key().isPresent() ? Optional.empty()
                : Optional.of("TODO: " + p.table() + " has no one-column primary key; name a unique, never-null column")));
        y.append(commented("    objekt_id: " + name(p.objektIdColumn()), p.objektIdColumnExists() ? Optional.empty()
                : Optional.of("TODO: add it: alter table " + p.table() + " add column " + p.objektIdColumn() + " uuid")));
        y.append(commented("    # sensitive: []", Optional.of("GeoFA columns holding personal data (names, phone numbers): masked in logs and letters")));
        y.append(commented("    # write_back: { versions_id: geofa_versions_id }", Optional.of("GeoFA's own values into VK columns of its own")));
        y.append("    columns:\n");
        for (MappingProposal.Match m : p.columns()) {
            String entry = "      " + name(m.vkColumn()) + ":" + (m.vkColumn().equals(m.geofaColumn()) ? "" : " " + m.geofaColumn());
            y.append(commented(entry, switch (m.how()) {
                case SAME_NAME -> Optional.empty();
                case SAME_NAME_SPELT_OTHERWISE -> Optional.of("the same name spelt otherwise");
                case CLOSE_NAME -> Optional.of("TODO check: matched by a close name");
                case GEOMETRY -> Optional.of("the geometry, found by its type");
            }));
        }
        if (!p.missingRequired().isEmpty()) {
            y.append("    constants:\n");
            for (FkgColumn c : p.missingRequired()) {
                y.append(commented("      " + c.name() + ":", Optional.of("TODO required: " + describe(c, catalogue))));
            }
        }
        return y.toString();
    }

    /** The column's type and, for a code column, some of its codes: what a value must look like. */
    private static String describe(FkgColumn c, FkgCatalogue catalogue) {
        Optional<FkgCodeList> list = catalogue.codeListOf(c);
        if (list.isEmpty()) {
            return c.sqlType();
        }
        List<FkgCode> codes = list.get().activeCodes();
        String shown = codes.stream().limit(CODES_SHOWN).map(k -> k.code() + " " + oneLine(k.label())).collect(Collectors.joining(", "));
        return c.sqlType() + ", a code of " + list.get().name() + " (" + (codes.size() > CODES_SHOWN ? codes.size() + " codes, e.g. " : "") + shown + ")";
    }

    private static String commented(String line, Optional<String> comment) {
        return comment.map(c -> pad(line, COMMENT_COLUMN) + " # " + c).orElse(line) + "\n";
    }

    /** A column name as a YAML key or value: quoted only where YAML would otherwise read it as something else. */
    static String name(String column) {
        return YAML_WORD.matcher(column).matches() ? "\"" + column + "\"" : column;
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
