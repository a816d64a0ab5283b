package dk.geofasync.sandbox.vk;

import dk.geofasync.sandbox.geofa.GeofaSeed;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a reset of the sample VK database loaded: rows per table, the objects that are already in
 * GeoFA (by theme, to seed the fake GeoFA with), and how long it took.
 */
public record SampleLoad(Map<String, Integer> rowsPerTable, Map<String, List<GeofaSeed>> alreadyInGeofa, Duration took) {
    public SampleLoad {
        rowsPerTable = Map.copyOf(rowsPerTable);
        alreadyInGeofa = Map.copyOf(alreadyInGeofa);
    }

    public int rows() {
        return rowsPerTable.values().stream().mapToInt(Integer::intValue).sum();
    }
}
