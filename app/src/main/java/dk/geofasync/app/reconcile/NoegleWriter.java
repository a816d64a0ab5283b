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
 * them). Each object is named by the version reconcile saw (the model's primary key, no scan) and
 * changed only while its noegle is still empty; an object edited since is left for the next
 * reconcile. Not an event of the pipeline: noegle is the sync's bookkeeping, not VK's data, and
 * writing it is idempotent and touches no column the applier writes. The new versions are noted as
 * the sync's own where the link still holds the version seen.
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

    /** Writes the noegle of each finding's row into its object (objekt_id and version seen); returns the keys GeoFA took. */
    List<String> write(TableMapping table, List<Finding> objects) {
        List<Finding> named = objects.stream().filter(f -> f.objektId().isPresent() && f.versionsId().isPresent()).toList();
        List<String> written = new ArrayList<>();
        int perRequest = Math.max(1, client.settings().maxRowsPerRequest());
        for (int from = 0; from < named.size(); from += perRequest) {
            written.addAll(send(table, named.subList(from, Math.min(named.size(), from + perRequest))));
        }
        return written;
    }

    /** Requests sent so far. */
    int requests() {
        return requests;
    }

    /**
     * One packed update. GeoFA runs it in one transaction, and for a user with a geofence a set that
     * changes no row (the object was edited meanwhile) fails the whole pack ({@code COUNT 0 ERROR}):
     * then each half is sent on its own, down to the one object, which is left for the next reconcile.
     */
    private List<String> send(TableMapping table, List<Finding> part) {
        String q = "update fkg." + table.theme().name() + " set noegle = :noegle where versions_id = cast(:versions_id as uuid)"
                + " and (noegle is null or noegle = '') returning objekt_id, versions_id";
        List<Map<String, Object>> params = new ArrayList<>();
        for (Finding f : part) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("noegle", table.table() + ":" + f.key());
            p.put("versions_id", f.versionsId().orElseThrow().toString());
            params.add(p);
        }
        SqlResult result;
        try {
            requests++;
            result = client.execute(q, params);
        } catch (GeofaException.Rejected refused) {
            if (part.size() == 1) {
                LOG.warn("reconcile: GeoFA did not take the noegle of {} {} (objekt_id {}): {}", table.table(), part.get(0).key(),
                        part.get(0).objektId().orElseThrow(), refused.geofaMessage());
                return List.of();
            }
            List<String> written = new ArrayList<>(send(table, part.subList(0, part.size() / 2)));
            written.addAll(send(table, part.subList(part.size() / 2, part.size())));
            return written;
        } catch (GeofaException e) {
            // out of reach or its answer lost: the objects stay without noegle (or got it), and the next reconcile looks again
            LOG.warn("reconcile: the noegle of {} objects of {} may not have reached GeoFA: {}", part.size(), table.table(), e.getMessage());
            return List.of();
        }
        Map<UUID, UUID> newVersions = new LinkedHashMap<>();
        result.data().forEach(row -> RowPrint.uuid(row.path("objekt_id").asText("")).ifPresent(o ->
                RowPrint.uuid(row.path("versions_id").asText("")).ifPresent(v -> newVersions.put(o, v))));
        List<Finding> taken = part.stream().filter(f -> newVersions.containsKey(f.objektId().orElseThrow())).toList();
        noteVersions(table, taken, newVersions);
        return taken.stream().map(Finding::key).toList();
    }

    /** The versions the noegle made are the sync's own, where the link still holds the version reconcile saw (the applier may have moved on). */
    private void noteVersions(TableMapping table, List<Finding> taken, Map<UUID, UUID> newVersions) {
        if (taken.isEmpty()) {
            return;
        }
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update sync.object_link l set versions_id = cast(v.new as uuid)
                  from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as v(k, o, old, new)
                 where l.source_table = ? and l.row_key = v.k and l.objekt_id = cast(v.o as uuid)
                   and (l.versions_id is null or l.versions_id = cast(v.old as uuid))""")) {
            ps.setArray(1, c.createArrayOf("text", taken.stream().map(Finding::key).toArray()));
            ps.setArray(2, c.createArrayOf("text", taken.stream().map(f -> f.objektId().orElseThrow().toString()).toArray()));
            ps.setArray(3, c.createArrayOf("text", taken.stream().map(f -> f.versionsId().map(UUID::toString).orElse(null)).toArray()));
            ps.setArray(4, c.createArrayOf("text", taken.stream().map(f -> newVersions.get(f.objektId().orElseThrow()).toString()).toArray()));
            ps.setString(5, table.table().toString());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot note the versions of " + table.table() + "'s objects given their noegle: " + e.getMessage(), e);
        }
    }

}
