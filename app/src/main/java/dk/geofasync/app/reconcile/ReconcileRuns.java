package dk.geofasync.app.reconcile;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;

/** {@code sync.reconcile_run}, {@code sync.reconcile_table} and {@code sync.reconcile_difference}: every reconcile on record for the DBA. */
final class ReconcileRuns {

    private final DataSource vk;

    ReconcileRuns(DataSource vk) {
        this.vk = vk;
    }

    long start(boolean repair, ReconcileTrigger trigger) {
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into sync.reconcile_run (repair, trigger, host) values (?, ?, ?) returning id")) {
            ps.setBoolean(1, repair);
            ps.setString(2, trigger.code());
            ps.setString(3, host());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the reconcile in sync.reconcile_run: " + e.getMessage(), e);
        }
    }

    /** One table's result and its differences, in one transaction; {@code queued}: the findings put into the outbox. */
    void table(long run, TableResult r, Set<Finding> queued) {
        try (Connection c = vk.getConnection()) {
            c.setAutoCommit(false);
            var n = r.counts();
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into sync.reconcile_table (run_id, source_table, theme, vk_rows, geofa_objects, buckets, differing_buckets, in_flight,
                        changed_in_geofa, stale, missing, not_written_back, deleted_in_vk, orphan, linked_twice, not_visible, ambiguous, no_noegle,
                        linked, repairs_queued, geofa_requests, vk_seconds, geofa_seconds)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                int i = 1;
                ps.setLong(i++, run);
                ps.setString(i++, r.table());
                ps.setString(i++, r.theme());
                ps.setLong(i++, r.vkRows());
                ps.setLong(i++, r.geofaObjects());
                ps.setInt(i++, r.buckets());
                ps.setInt(i++, r.differingBuckets());
                ps.setInt(i++, r.inFlight());
                for (DifferenceKind k : DifferenceKind.values()) {
                    ps.setInt(i++, n.get(k));
                }
                ps.setInt(i++, r.repairsQueued());
                ps.setInt(i++, r.geofaRequests());
                ps.setBigDecimal(i++, java.math.BigDecimal.valueOf(r.vkSeconds()).setScale(3, java.math.RoundingMode.HALF_UP));
                ps.setBigDecimal(i, java.math.BigDecimal.valueOf(r.geofaSeconds()).setScale(3, java.math.RoundingMode.HALF_UP));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into sync.reconcile_difference (run_id, source_table, row_key, kind, objekt_id, columns, repair, queued)
                    values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (Finding f : r.findings()) {
                    ps.setLong(1, run);
                    ps.setString(2, r.table());
                    ps.setString(3, f.key());
                    ps.setString(4, f.kind().code());
                    ps.setObject(5, f.objektId().orElse(null));
                    ps.setArray(6, c.createArrayOf("varchar", f.columns().toArray()));
                    ps.setString(7, f.repair().name().toLowerCase(java.util.Locale.ROOT));
                    ps.setBoolean(8, queued.contains(f));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the reconcile of " + r.table() + ": " + e.getMessage(), e);
        }
    }

    void finish(long run) {
        end(run, "succeeded", null);
    }

    void failed(long run, String message) {
        end(run, "failed", message);
    }

    private void end(long run, String outcome, String message) {
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update sync.reconcile_run set outcome = ?, finished_at = now(), message = ? where id = ?")) {
            ps.setString(1, outcome);
            ps.setString(2, message);
            ps.setLong(3, run);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the end of reconcile " + run + ": " + e.getMessage(), e);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
        } catch (java.io.IOException e) {
            return "unknown:" + ProcessHandle.current().pid();
        }
    }
}
