package dk.geofasync.applier.geofa;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** GeoFA's answer to a statement: rows affected, and the rows it returned (one per parameter set for a batched insert). */
public record SqlResult(int affectedRows, List<JsonNode> data) {
    public SqlResult {
        data = List.copyOf(data);
    }
}
