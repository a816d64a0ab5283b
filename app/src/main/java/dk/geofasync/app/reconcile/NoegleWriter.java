package dk.geofasync.app.reconcile;

import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.applier.geofa.SqlResult;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows' noegle into GeoFA objects made before geofa-sync that have none, so later
 * reconciles find them among the table's own objects (and the applier's look-ups by noegle find
 * them): packed statements, each object only where its noegle is still empty. Not an event of the
 * pipeline: noegle is the sync's bookkeeping, not VK's data, and writing it is idempotent and
 * touches no column the applier writes. The new versions are noted as the sync's own.
 */
final class NoegleWriter {

    private static final Logger LOG = LoggerFactory.getLogger(NoegleWriter.class);

    private final GeofaClient client;
    private final DataSource vk;
    private int requests;

    NoegleWriter(GeofaClient client, DataSource vk) {
        this.client = client;
        this.vk = vk;
    }

    /** Writes the noegle of each key -> objekt_id; returns the keys written. A request GeoFA refuses or loses is reported and left to the next reconcile. */
    List<String> write(TableMapping table, Map<String, UUID> objects) {
        List<String> written = new ArrayList<>();
        List<String> keys = List.copyOf(objects.keySet());
        int perRequest = Math.max(1, client.settings().maxRowsPerRequest());
        String q = "update fkg." + table.theme().name() + " set noegle = :noegle where objekt_id = cast(:objekt_id as uuid) and noegle is null"
                + " returning objekt_id, versions_id";
        for (int from = 0; from < keys.size(); from += perRequest) {
            List<String> part = keys.subList(from, Math.min(keys.size(), from + perRequest));
            List<Map<String, Object>> params = new ArrayList<>();
            for (String key : part) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("noegle", table.table() + ":" + key);
                p.put("objekt_id", objects.get(key).toString());
                params.add(p);
            }
            try {
                requests++;
                SqlResult result = client.execute(q, params);
                noteVersions(table, part, result);
                written.addAll(part);
            } catch (GeofaException e) {
                // its objects stay without noegle: the next reconcile finds them again, as no_noegle
                LOG.warn("reconcile: GeoFA did not take the noegle of {} objects of {}: {}", part.size(), table.table(), e.getMessage());
            }
        }
        return written;
    }

    /** Requests sent so far. */
    int requests() {
        return requests;
    }

    /** The versions the noegle made are the sync's own: a later edit in GeoFA is then told from them. */
    private void noteVersions(TableMapping table, List<String> keys, SqlResult result) {
        Map<String, String> byObject = new LinkedHashMap<>();
        result.data().forEach(row -> byObject.put(row.path("objekt_id").asText(), row.path("versions_id").asText()));
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update sync.object_link set versions_id = cast(v.version as uuid) from unnest(?::text[], ?::text[]) as v(o, version)"
                        + " where source_table = ? and row_key = any(?) and objekt_id = cast(v.o as uuid)")) {
            ps.setArray(1, c.createArrayOf("text", byObject.keySet().toArray()));
            ps.setArray(2, c.createArrayOf("text", byObject.values().toArray()));
            ps.setString(3, table.table().toString());
            ps.setArray(4, c.createArrayOf("text", keys.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot note the versions of " + table.table() + "'s objects given their noegle: " + e.getMessage(), e);
        }
    }
}
