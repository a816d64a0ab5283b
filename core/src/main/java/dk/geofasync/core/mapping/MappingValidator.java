package dk.geofasync.core.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.core.fkg.ColumnAccess;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.fkg.ValueCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a {@link MappingFile} into a {@link Mapping}, or collects every problem in it. Checks what
 * can be checked without the VK database: names, themes, GeoFA columns and their types, and that
 * every column GeoFA requires of a new object is mapped or given as a constant.
 */
final class MappingValidator {

    /** GeoFA's noegle carries geofa-sync's correlation key; a mapping must not write it. */
    static final String CORRELATION_COLUMN = "noegle";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final FkgCatalogue catalogue;
    private final List<MappingProblem> problems = new ArrayList<>();

    MappingValidator(String source, FkgCatalogue catalogue) {
        this.source = source;
        this.catalogue = catalogue;
    }

    Mapping validate(MappingFile file) {
        if (file.tables() == null || file.tables().isEmpty()) {
            fileProblem("the file names no tables (key 'tables')");
        }
        Map<String, String> globalConstants = scalars(file.constants(), Optional.empty(), "constants");
        List<TableMapping> tables = new ArrayList<>();
        Set<VkTable> seen = new HashSet<>();
        List<MappingFile.TableEntry> entries = file.tables() == null ? List.of() : file.tables();
        for (int i = 0; i < entries.size(); i++) {
            MappingFile.TableEntry entry = entries.get(i);
            if (entry == null) {
                fileProblem("entry " + (i + 1) + " under 'tables' is empty");
                continue;
            }
            table(entry, i + 1, globalConstants).ifPresent(t -> {
                if (!seen.add(t.table())) {
                    problem(t.table().toString(), null, "the table is mapped more than once");
                } else {
                    tables.add(t);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new InvalidMappingException(problems);
        }
        return new Mapping(source, tables);
    }

    private Optional<TableMapping> table(MappingFile.TableEntry entry, int position, Map<String, String> globalConstants) {
        int before = problems.size();
        String name = entry.table() == null ? "#" + position : entry.table();
        if (entry.table() == null) {
            problem(name, null, "key 'table' is missing (the VK table, e.g. vk.fac_pkt)");
        }
        Optional<VkTable> vkTable = Optional.ofNullable(entry.table()).flatMap(VkTable::parse);
        if (entry.table() != null && vkTable.isEmpty()) {
            problem(name, null, "'" + entry.table() + "' is not a valid table name: write schema.table, each part of "
                    + "letters, digits and _");
        }
        Optional<FkgTheme> theme = theme(name, entry.theme());
        String key = identifier(name, "key", entry.key(), "the VK primary key column");
        String objektId = identifier(name, "objekt_id", entry.objektId(), "the VK column that receives GeoFA's objekt_id");
        if (key != null && key.equals(objektId)) {
            problem(name, key, "the key column cannot also receive objekt_id");
        }
        if (theme.isEmpty()) {
            return Optional.empty();
        }
        List<ColumnMapping> columns = columns(name, theme.get(), entry.columns(), key, objektId);
        Map<String, String> tableConstants = scalars(entry.constants(), Optional.of(name), "constants");
        Map<String, String> constants = new LinkedHashMap<>(globalConstants);
        constants.putAll(tableConstants);
        constants(name, theme.get(), constants, columns);
        requiredCovered(name, theme.get(), columns, constants);
        Set<String> sensitive = sensitive(name, theme.get(), entry.sensitive());
        Map<String, String> writeBack = WriteBackSection.read(theme.get(), entry.writeBack(), key, objektId, columns, sensitive,
                (column, message) -> problem(name, column, message));
        Optional<MatchRule> match = match(name, entry.match(), columns, key, objektId);
        if (problems.size() > before || vkTable.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TableMapping(vkTable.get(), theme.get(), key, objektId, columns, constants, sensitive, writeBack, match));
    }

    /** The table's {@code match} rule: a VK objekt_id column, or synced columns (and a distance, with a geometry), at least one. */
    private Optional<MatchRule> match(String table, MappingFile.MatchEntry entry, List<ColumnMapping> columns, String key, String objektId) {
        if (entry == null) {
            return Optional.empty();
        }
        Optional<String> idColumn = Optional.ofNullable(entry.objektId());
        idColumn.ifPresent(c -> {
            if (!SqlIdentifier.isValid(c)) {
                problem(table, c, "match: objekt_id must name a VK column holding GeoFA's objekt_id as text");
            } else if (c.equals(objektId) || c.equals(key)) {
                problem(table, c, "match: objekt_id names a column that is not the one holding GeoFA's objekt_id from an earlier load "
                        + "(the key or the objekt_id column itself)");
            }
        });
        List<String> matched = entry.columns() == null ? List.of() : entry.columns();
        boolean geometry = columns.stream().anyMatch(c -> c.geofaColumn().equals(FkgTheme.GEOMETRY_COLUMN));
        for (String c : matched) {
            if (columns.stream().noneMatch(m -> m.vkColumn().equals(c))) {
                problem(table, c, "match: columns names " + c + ", which is not a synced VK column of the table");
            } else if (columns.stream().anyMatch(m -> m.vkColumn().equals(c) && m.geofaColumn().equals(FkgTheme.GEOMETRY_COLUMN))) {
                problem(table, c, "match: the geometry is matched by distance (within: METRES), not in columns");
            }
        }
        Optional<java.math.BigDecimal> within = Optional.empty();
        if (entry.within() != null && !entry.within().isNull()) {
            if (!entry.within().isNumber() || entry.within().decimalValue().signum() <= 0) {
                problem(table, null, "match: within must be a distance in metres above 0, e.g. within: 5");
            } else if (!geometry) {
                problem(table, null, "match: within compares geometries, and the table maps none");
            } else {
                within = Optional.of(entry.within().decimalValue());
            }
        }
        if (idColumn.isPresent() && (!matched.isEmpty() || within.isPresent())) {
            problem(table, null, "match: give either objekt_id (a VK column with GeoFA's objekt_id) or columns and within, not both");
        }
        if (idColumn.isEmpty() && matched.isEmpty() && within.isEmpty()) {
            problem(table, null, "match: give objekt_id (a VK column with GeoFA's objekt_id), or columns and/or within");
        }
        return Optional.of(new MatchRule(idColumn, matched, within));
    }

    private Optional<FkgTheme> theme(String table, String themeName) {
        if (themeName == null) {
            problem(table, null, "key 'theme' is missing (the GeoFA theme, e.g. t_5800_fac_pkt)");
            return Optional.empty();
        }
        Optional<FkgTheme> theme = catalogue.theme(themeName);
        if (theme.isEmpty()) {
            problem(table, null, "unknown GeoFA theme '" + themeName + "'; known themes: "
                    + catalogue.themes().stream().map(FkgTheme::name).toList());
        }
        return theme;
    }

    private String identifier(String table, String key, String value, String what) {
        if (value == null) {
            problem(table, null, "key '" + key + "' is missing (" + what + ")");
            return null;
        }
        if (!SqlIdentifier.isValid(value)) {
            problem(table, value, "not a valid column name for '" + key + "': " + SqlIdentifier.whyInvalid(value));
            return null;
        }
        return value;
    }

    private List<ColumnMapping> columns(String table, FkgTheme theme, Map<String, JsonNode> entries, String key, String objektId) {
        List<ColumnMapping> columns = new ArrayList<>();
        if (entries == null || entries.isEmpty()) {
            problem(table, null, "key 'columns' is missing or empty (VK column: GeoFA column)");
            return columns;
        }
        Map<String, String> targets = new HashMap<>();
        entries.forEach((vkColumn, node) -> {
            if (!SqlIdentifier.isValid(vkColumn)) {
                problem(table, vkColumn, "not a valid VK column name: " + SqlIdentifier.whyInvalid(vkColumn));
                return;
            }
            if (vkColumn.equals(objektId)) {
                problem(table, vkColumn, "this is the objekt_id column; GeoFA sets objekt_id, so it cannot be sent as a value");
                return;
            }
            column(table, vkColumn, node).ifPresent(c -> {
                if (!geofaTargetOk(table, theme, c)) {
                    return;
                }
                String earlier = targets.putIfAbsent(c.geofaColumn(), vkColumn);
                if (earlier != null) {
                    problem(table, vkColumn, "GeoFA column " + c.geofaColumn() + " is already filled from VK column " + earlier);
                    return;
                }
                columns.add(c);
            });
        });
        return columns;
    }

    private Optional<ColumnMapping> column(String table, String vkColumn, JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.of(ColumnMapping.direct(vkColumn, vkColumn));
        }
        if (node.isTextual()) {
            return Optional.of(ColumnMapping.direct(vkColumn, node.asText()));
        }
        if (!node.isObject()) {
            problem(table, vkColumn, "write the GeoFA column name, or { to: …, transform: […], values: {…}, scale: … }");
            return Optional.empty();
        }
        MappingFile.ColumnEntry entry;
        try {
            entry = JSON.treeToValue(node, MappingFile.ColumnEntry.class);
        } catch (JsonProcessingException e) {
            problem(table, vkColumn, e.getOriginalMessage());
            return Optional.empty();
        }
        List<Transform> transforms = new ArrayList<>();
        for (String t : entry.transform() == null ? List.<String>of() : entry.transform()) {
            Optional<Transform> transform = Transform.fromConfigName(t);
            if (transform.isEmpty()) {
                problem(table, vkColumn, "unknown transform '" + t + "'; known: "
                        + java.util.Arrays.stream(Transform.values()).map(Transform::configName).toList());
                return Optional.empty();
            }
            transforms.add(transform.get());
        }
        Optional<java.math.BigDecimal> scale = Optional.empty();
        if (entry.scale() != null && !entry.scale().isNull()) {
            if (!entry.scale().isNumber()) {
                problem(table, vkColumn, "scale must be a number, e.g. scale: 0.001 (VK metres to GeoFA kilometres), not '"
                        + entry.scale().asText() + "'");
                return Optional.empty();
            }
            if (entry.scale().decimalValue().signum() == 0) {
                problem(table, vkColumn, "scale must not be 0 (every value would become 0)");
                return Optional.empty();
            }
            scale = Optional.of(entry.scale().decimalValue());
        }
        String target = entry.to() == null ? vkColumn : entry.to();
        return Optional.of(new ColumnMapping(vkColumn, target, transforms, entry.values() == null ? Map.of() : entry.values(), scale));
    }

    private boolean geofaTargetOk(String table, FkgTheme theme, ColumnMapping c) {
        Optional<FkgColumn> target = theme.column(c.geofaColumn());
        if (target.isEmpty()) {
            problem(table, c.vkColumn(), "GeoFA theme " + theme.name() + " has no column '" + c.geofaColumn() + "'");
            return false;
        }
        if (target.get().access() != ColumnAccess.WRITE) {
            Optional<FkgColumn> alternative = target.get().derivedFrom().flatMap(theme::column).filter(FkgColumn::writable);
            problem(table, c.vkColumn(), "GeoFA column " + c.geofaColumn() + " is " + describe(target.get().access())
                    + " and cannot be written (GeoFA ignores writes to it)"
                    + alternative.map(a -> "; map the code to " + a.name() + " instead" + catalogue.codeListOf(a)
                            .map(l -> " (code list " + l.name() + ")").orElse("")).orElse(""));
            return false;
        }
        if (!rulesFit(table, c, target.get())) {
            return false;
        }
        for (Map.Entry<String, String> v : c.valueMap().entrySet()) {
            valueFits(target.get(), v.getValue()).ifPresent(why -> problem(table, c.vkColumn(),
                    "values: '" + v.getKey() + "' maps to " + v.getValue() + ", which GeoFA column " + c.geofaColumn() + " refuses: " + why));
        }
        if (c.geofaColumn().equals(CORRELATION_COLUMN)) {
            problem(table, c.vkColumn(), "GeoFA column noegle holds geofa-sync's correlation key and cannot be mapped");
            return false;
        }
        return true;
    }

    /** Whether the column's transforms and scale suit the GeoFA column's type; each misfit is a problem. */
    private boolean rulesFit(String table, ColumnMapping c, FkgColumn target) {
        int before = problems.size();
        c.transforms().forEach(t -> t.unfitFor(target.type()).ifPresent(why -> problem(table, c.vkColumn(),
                "transform " + t.configName() + " cannot feed GeoFA column " + c.geofaColumn() + ": " + why)));
        c.scale().ifPresent(factor -> {
            if (!target.type().isNumber()) {
                problem(table, c.vkColumn(), "scale works on numbers, and GeoFA column " + c.geofaColumn() + " is " + target.type().sqlName());
            } else if (target.type().isWholeNumber() && factor.stripTrailingZeros().scale() > 0) {
                problem(table, c.vkColumn(), "scale " + factor.toPlainString() + " makes fractions, which GeoFA column " + c.geofaColumn()
                        + " (" + target.type().sqlName() + ") refuses");
            }
        });
        return problems.size() == before;
    }

    private void constants(String table, FkgTheme theme, Map<String, String> constants, List<ColumnMapping> columns) {
        Set<String> mapped = new HashSet<>();
        columns.forEach(c -> mapped.add(c.geofaColumn()));
        constants.forEach((name, value) -> {
            Optional<FkgColumn> column = theme.column(name);
            if (column.isEmpty()) {
                problem(table, name, "constant for a column GeoFA theme " + theme.name() + " does not have");
            } else if (column.get().access() != ColumnAccess.WRITE || name.equals(CORRELATION_COLUMN)) {
                problem(table, name, "constant for GeoFA column " + name + ", which geofa-sync or GeoFA sets");
            } else if (mapped.contains(name)) {
                problem(table, name, "GeoFA column " + name + " is both mapped from a VK column and given as a constant");
            } else {
                valueFits(column.get(), value).ifPresent(why -> problem(table, name, "constant " + value + ": " + why));
            }
        });
    }

    /** Why a constant or a mapped value does not fit its GeoFA column, or empty when it does. */
    private Optional<String> valueFits(FkgColumn column, String value) {
        if (column.type() == FkgType.GEOMETRY) {
            return Optional.of("geometry cannot be a constant");
        }
        return ValueCheck.check(catalogue, column, value).map(ValueCheck.Problem::reason);
    }

    private void requiredCovered(String table, FkgTheme theme, List<ColumnMapping> columns, Map<String, String> constants) {
        Set<String> covered = new HashSet<>(constants.keySet());
        columns.forEach(c -> covered.add(c.geofaColumn()));
        Set<String> missing = new TreeSet<>();
        theme.requiredColumns().stream().map(FkgColumn::name).filter(n -> !covered.contains(n)).forEach(missing::add);
        for (String name : missing) {
            problem(table, name, "GeoFA theme " + theme.name() + " requires " + name
                    + "; map a VK column to it or give it under 'constants'");
        }
    }

    private Set<String> sensitive(String table, FkgTheme theme, List<String> names) {
        Set<String> sensitive = new HashSet<>();
        for (String name : names == null ? List.<String>of() : names) {
            if (theme.column(name).isEmpty()) {
                problem(table, name, "listed as sensitive, but GeoFA theme " + theme.name() + " has no such column");
            } else {
                sensitive.add(name);
            }
        }
        return sensitive;
    }

    private Map<String, String> scalars(Map<String, JsonNode> entries, Optional<String> table, String key) {
        Map<String, String> values = new LinkedHashMap<>();
        if (entries == null) {
            return values;
        }
        entries.forEach((name, node) -> {
            if (node == null || node.isNull() || node.isContainerNode()) {
                problems.add(new MappingProblem(source, table, Optional.of(name), "a value under '" + key
                        + "' must be a single number or text"));
            } else {
                values.put(name, node.asText());
            }
        });
        return values;
    }

    private static String describe(ColumnAccess access) {
        return access == ColumnAccess.SERVER ? "set by GeoFA" : "a read-only column derived by GeoFA";
    }

    private void problem(String table, String column, String message) {
        problems.add(new MappingProblem(source, Optional.ofNullable(table), Optional.ofNullable(column), message));
    }

    private void fileProblem(String message) {
        problems.add(new MappingProblem(source, Optional.empty(), Optional.empty(), message));
    }
}
