package dk.geofasync.core.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.FkgType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads a table's {@code write_back} section (GeoFA column: VK column; empty means the same name):
 * the GeoFA columns written into the VK row with the objekt_id, after a create and after every update.
 * A GeoFA column must be one of the theme's (those GeoFA sets or derives are the point, writable ones
 * are allowed too); a VK column must be a valid name that geofa-sync does not otherwise read: not the
 * key, not the objekt_id column, not a synced column (the capture ignores write-back columns, so a
 * synced one would never reach GeoFA again), and not filled twice.
 */
final class WriteBackSection {

    private WriteBackSection() {
    }

    /**
     * @param problem called with the column at fault (GeoFA's or VK's) and why
     * @return GeoFA column to VK column, in the file's order, for the entries without problems
     */
    static Map<String, String> read(FkgTheme theme, Map<String, JsonNode> entries, String key, String objektId,
                                    Iterable<ColumnMapping> columns, Set<String> sensitive, BiConsumer<String, String> problem) {
        Map<String, String> writeBack = new LinkedHashMap<>();
        if (entries == null) {
            return writeBack;
        }
        Set<String> synced = new HashSet<>();
        columns.forEach(c -> synced.add(c.vkColumn()));
        Map<String, String> filledFrom = new HashMap<>();
        entries.forEach((geofaColumn, node) -> {
            Optional<FkgColumn> source = theme.column(geofaColumn);
            if (source.isEmpty()) {
                problem.accept(geofaColumn, "write_back: GeoFA theme " + theme.name() + " has no column '" + geofaColumn + "'");
                return;
            }
            if (source.get().type() == FkgType.GEOMETRY) {
                problem.accept(geofaColumn, "write_back: the geometry comes from VK; it is not written back");
                return;
            }
            if (sensitive.contains(geofaColumn)) {
                // written-back values travel on the replies topic, which carries no personal data
                problem.accept(geofaColumn, "write_back: " + geofaColumn + " is listed as sensitive (personal data); it is not written back");
                return;
            }
            if (geofaColumn.equals("objekt_id")) {
                problem.accept(geofaColumn, "write_back: objekt_id goes into the objekt_id column (" + objektId + ") already");
                return;
            }
            if (node != null && !node.isNull() && !node.isTextual()) {
                problem.accept(geofaColumn, "write_back: write the VK column that receives GeoFA's " + geofaColumn + ", e.g. "
                        + geofaColumn + ": geofa_" + geofaColumn);
                return;
            }
            String vkColumn = node == null || node.isNull() ? geofaColumn : node.asText();
            vkColumnProblem(vkColumn, key, objektId, synced).ifPresentOrElse(
                    why -> problem.accept(vkColumn, "write_back of GeoFA's " + geofaColumn + ": " + why),
                    () -> {
                        String earlier = filledFrom.putIfAbsent(vkColumn, geofaColumn);
                        if (earlier != null) {
                            problem.accept(vkColumn, "write_back: VK column " + vkColumn + " already receives GeoFA's " + earlier);
                        } else {
                            writeBack.put(geofaColumn, vkColumn);
                        }
                    });
        });
        return writeBack;
    }

    private static Optional<String> vkColumnProblem(String vkColumn, String key, String objektId, Set<String> synced) {
        if (!SqlIdentifier.isValid(vkColumn)) {
            return Optional.of("not a valid VK column name: " + SqlIdentifier.whyInvalid(vkColumn));
        }
        if (vkColumn.equals(key)) {
            return Optional.of("VK column " + vkColumn + " is the key; it cannot receive a value from GeoFA");
        }
        if (vkColumn.equals(objektId)) {
            return Optional.of("VK column " + vkColumn + " receives the objekt_id");
        }
        if (synced.contains(vkColumn)) {
            return Optional.of("VK column " + vkColumn + " is synced to GeoFA; a column GeoFA writes back must be one of VK's own "
                    + "(e.g. geofa_" + vkColumn + ")");
        }
        return Optional.empty();
    }
}
