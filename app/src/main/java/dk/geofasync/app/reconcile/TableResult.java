package dk.geofasync.app.reconcile;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What reconcile found for one VK table: what it compared, the differences by kind (with the rows),
 * what it queued for repair, and what it cost.
 */
public record TableResult(String table, String theme, long vkRows, long geofaObjects, int buckets, int differingBuckets, int inFlight,
                          List<Finding> findings, int repairsQueued, int geofaRequests, double vkSeconds, double geofaSeconds) {

    public TableResult {
        findings = List.copyOf(findings);
    }

    /** How many findings of each kind, every kind named. */
    public Map<DifferenceKind, Integer> counts() {
        Map<DifferenceKind, Integer> counts = new EnumMap<>(DifferenceKind.class);
        for (DifferenceKind k : DifferenceKind.values()) {
            counts.put(k, 0);
        }
        findings.forEach(f -> counts.merge(f.kind(), 1, Integer::sum));
        return counts;
    }

    /** Differences that count: every kind but the notes {@link DifferenceKind#NO_NOEGLE} and {@link DifferenceKind#LINKED}. */
    public int differences() {
        return (int) findings.stream().filter(f -> f.kind().isDifference()).count();
    }
}
