package dk.geofasync.core.mapping;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * How {@code reconcile --link} finds a VK row's object among GeoFA's objects that no VK row names
 * yet (loaded by hand or by FME before geofa-sync): by a VK column holding GeoFA's objekt_id as text,
 * or by synced columns equal after the mapping's rules, optionally with the geometries within some
 * metres. A row with no candidate, or more than one, or a candidate other rows match too, is not
 * linked: ambiguous matches are reported, never guessed.
 *
 * @param objektIdColumn a VK column holding the object's objekt_id as text
 * @param columns synced VK columns whose values (after the mapping's rules) must equal GeoFA's
 * @param withinMetres the largest distance between the geometries' centroids, in metres of EPSG:25832
 */
public record MatchRule(Optional<String> objektIdColumn, List<String> columns, Optional<BigDecimal> withinMetres) {

    public MatchRule {
        columns = List.copyOf(columns);
    }
}
