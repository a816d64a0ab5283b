package dk.geofasync.applier.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.applier.deadletter.RejectionReason;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.sandbox.vk.SampleVk;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GeometryCheckTest {

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final TableMapping POINTS = MAPPING.table("vk.facilitet_punkt").orElseThrow();
    static final TableMapping AREAS = MAPPING.table("vk.facilitet_flade").orElseThrow();
    static final TableMapping LINES = MAPPING.table("vk.rute_linje").orElseThrow();

    static Optional<String> problem(TableMapping table, String geoJson) {
        return GeometryCheck.problem(table, ColumnValues.of(Map.of("geom", geoJson))).map(RejectionReason::reason);
    }

    @Test
    void singleAndMultiGeometriesOfTheThemesKindPass() {
        assertThat(problem(POINTS, "{\"type\":\"Point\",\"coordinates\":[550000,6170000]}")).isEmpty();
        assertThat(problem(POINTS, "{\"type\":\"MultiPoint\",\"coordinates\":[[550000,6170000],[550001,6170001]]}")).isEmpty();
        assertThat(problem(LINES, "{\"type\":\"LineString\",\"coordinates\":[[550000,6170000],[550100,6170100]]}")).isEmpty();
        assertThat(problem(AREAS, "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]]]}")).isEmpty();
    }

    @Test
    void wrongKindEmptyAndUnreadableGeometriesAreNamed() {
        assertThat(problem(POINTS, "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}"))
                .contains("the geometry is a LineString; GeoFA's theme t_5800_fac_pkt holds MultiPoint");
        assertThat(problem(LINES, "{\"type\":\"MultiLineString\",\"coordinates\":[]}")).contains("the geometry is empty");
        assertThat(problem(LINES, "{\"type\":\"LineString\",\"coordinates\":[[0,0]]}"))
                .contains("the geometry cannot be read: a line needs at least 2 points, it has 1");
        assertThat(problem(AREAS, "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}"))
                .hasValueSatisfying(r -> assertThat(r).startsWith("the geometry cannot be read: a polygon ring does not close"));
        assertThat(problem(AREAS, "{\"type\":\"Circle\"}")).contains("the geometry cannot be read: 'Circle' is not a GeoJSON geometry type this sync knows");
        assertThat(problem(AREAS, "not json")).hasValueSatisfying(r -> assertThat(r).startsWith("the geometry cannot be read"));
    }

    @Test
    void selfIntersectingPolygonIsInvalidWithThePlace() {
        assertThat(problem(AREAS, "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}"))
                .contains("the geometry is invalid: Self-intersection at (1.00 1.00)");
    }

    @Test
    void absentGeometryIsLeftToGeofasNotNull() {
        assertThat(GeometryCheck.problem(POINTS, ColumnValues.of(Map.of("navn", "x")))).isEmpty();
    }
}
