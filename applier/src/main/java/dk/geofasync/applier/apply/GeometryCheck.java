package dk.geofasync.applier.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.applier.deadletter.RejectionReason;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.GeometryType;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import java.io.IOException;
import java.util.Optional;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Checks a row's geometry with JTS before it is sent: readable GeoJSON, not empty, of the theme's
 * kind (GeoFA makes a Point a MultiPoint, but not a line a point), and valid (no self-intersecting
 * polygon, no ring that does not close). GeoFA would refuse such a geometry too, or worse store
 * it; checking here names the problem in words, with the place, and costs no request.
 */
final class GeometryCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 25832);

    private GeometryCheck() {
    }

    /** What is wrong with the geometry among {@code values}, if anything (absent geometry is left to GeoFA's NOT NULL). */
    static Optional<RejectionReason> problem(TableMapping table, ColumnValues values) {
        Optional<ColumnMapping> column = table.columnFromGeofa(FkgTheme.GEOMETRY_COLUMN);
        if (column.isEmpty()) {
            return Optional.empty();
        }
        String vkColumn = column.get().vkColumn();
        Optional<String> text = values.value(vkColumn);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Geometry g;
        try {
            g = read(JSON.readTree(text.get()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(new RejectionReason(Optional.of(vkColumn), "the geometry cannot be read: " + e.getMessage()));
        }
        if (g.isEmpty()) {
            return Optional.of(new RejectionReason(Optional.of(vkColumn), "the geometry is empty"));
        }
        GeometryType wanted = table.theme().geometryType();
        if (!fits(g, wanted)) {
            return Optional.of(new RejectionReason(Optional.of(vkColumn), "the geometry is a " + g.getGeometryType() + "; GeoFA's theme "
                    + table.theme().name() + " holds " + wanted.geoJsonName()));
        }
        TopologyValidationError error = new IsValidOp(g).getValidationError();
        if (error != null) {
            Coordinate at = error.getCoordinate();
            return Optional.of(new RejectionReason(Optional.of(vkColumn), "the geometry is invalid: " + error.getMessage()
                    + (at == null ? "" : String.format(java.util.Locale.ROOT, " at (%.2f %.2f)", at.x, at.y))));
        }
        return Optional.empty();
    }

    private static boolean fits(Geometry g, GeometryType wanted) {
        return switch (wanted) {
            case MULTI_POINT -> g.getGeometryType().endsWith("Point");
            case MULTI_LINE_STRING -> g.getGeometryType().endsWith("LineString");
            case MULTI_POLYGON -> g.getGeometryType().endsWith("Polygon");
            case POINT -> g.getGeometryType().equals("Point");
            case NONE -> false;
        };
    }

    static Geometry read(JsonNode geoJson) {
        String type = geoJson.path("type").asText("");
        JsonNode c = geoJson.path("coordinates");
        return switch (type) {
            case "Point" -> c.isEmpty() ? FACTORY.createPoint() : FACTORY.createPoint(coordinate(c));
            case "MultiPoint" -> FACTORY.createMultiPoint(points(c));
            case "LineString" -> line(c);
            case "MultiLineString" -> FACTORY.createMultiLineString(lines(c));
            case "Polygon" -> polygon(c);
            case "MultiPolygon" -> {
                Polygon[] polygons = new Polygon[c.size()];
                for (int i = 0; i < c.size(); i++) {
                    polygons[i] = polygon(c.get(i));
                }
                yield FACTORY.createMultiPolygon(polygons);
            }
            default -> throw new IllegalArgumentException("'" + type + "' is not a GeoJSON geometry type this sync knows");
        };
    }

    private static Point[] points(JsonNode c) {
        Point[] points = new Point[c.size()];
        for (int i = 0; i < c.size(); i++) {
            points[i] = FACTORY.createPoint(coordinate(c.get(i)));
        }
        return points;
    }

    private static LineString[] lines(JsonNode c) {
        LineString[] lines = new LineString[c.size()];
        for (int i = 0; i < c.size(); i++) {
            lines[i] = line(c.get(i));
        }
        return lines;
    }

    private static LineString line(JsonNode c) {
        if (c.size() == 1) {
            throw new IllegalArgumentException("a line needs at least 2 points, it has 1");
        }
        return FACTORY.createLineString(coordinates(c));
    }

    private static Polygon polygon(JsonNode rings) {
        if (rings.isEmpty()) {
            return FACTORY.createPolygon();
        }
        LinearRing shell = ring(rings.get(0));
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(rings.get(i));
        }
        return FACTORY.createPolygon(shell, holes);
    }

    private static LinearRing ring(JsonNode c) {
        Coordinate[] coordinates = coordinates(c);
        if (coordinates.length > 0 && !coordinates[0].equals2D(coordinates[coordinates.length - 1])) {
            throw new IllegalArgumentException("a polygon ring does not close (it starts at "
                    + String.format(java.util.Locale.ROOT, "%.2f %.2f", coordinates[0].x, coordinates[0].y) + " and ends elsewhere)");
        }
        if (coordinates.length > 0 && coordinates.length < 4) {
            throw new IllegalArgumentException("a polygon ring needs at least 4 points, it has " + coordinates.length);
        }
        return FACTORY.createLinearRing(coordinates);
    }

    private static Coordinate[] coordinates(JsonNode c) {
        Coordinate[] coordinates = new Coordinate[c.size()];
        for (int i = 0; i < c.size(); i++) {
            coordinates[i] = coordinate(c.get(i));
        }
        return coordinates;
    }

    private static Coordinate coordinate(JsonNode c) {
        if (c.size() < 2 || !c.get(0).isNumber() || !c.get(1).isNumber()) {
            throw new IllegalArgumentException("a position must be two numbers, got " + c);
        }
        return new Coordinate(c.get(0).asDouble(), c.get(1).asDouble());
    }
}
