package dk.geofasync.app.reconcile;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** A reconcile's report for people: per table what was compared, then the differences by kind, changes made in GeoFA first. */
public final class ReportText {

    /** Rows listed per kind; the rest are counted (all are in sync.reconcile_difference). */
    private static final int LISTED = 20;

    private ReportText() {
    }

    public static void print(Reconcile.Report report, boolean repair, PrintWriter out) {
        out.printf("reconcile %d%n", report.run());
        for (TableResult t : report.tables()) {
            out.printf("%n%s -> %s: %,d rows in VK, %,d objects in GeoFA; %,d of %,d buckets differ; %d GeoFA requests (%.1f s), VK %.1f s%n",
                    t.table(), t.theme(), t.vkRows(), t.geofaObjects(), t.differingBuckets(), t.buckets(), t.geofaRequests(), t.geofaSeconds(),
                    t.vkSeconds());
            if (t.inFlight() > 0) {
                out.printf("  %d rows with events on their way were not judged%n", t.inFlight());
            }
            if (t.findings().isEmpty()) {
                out.println("  no differences");
                continue;
            }
            for (Map.Entry<DifferenceKind, Integer> e : t.counts().entrySet()) {
                if (e.getValue() == 0) {
                    continue;
                }
                out.printf("  %-17s %,d%n", e.getKey().code(), e.getValue());
                List<Finding> of = t.findings().stream().filter(f -> f.kind() == e.getKey()).toList();
                of.stream().limit(LISTED).forEach(f -> out.printf("    %s%s%s%n", f.key(), f.objektId().map(id -> " " + id).orElse(""),
                        f.columns().isEmpty() ? "" : " (" + String.join(", ", f.columns()) + ")"));
                if (of.size() > LISTED) {
                    out.printf("    ... and %,d more (sync.reconcile_difference, run %d)%n", of.size() - LISTED, report.run());
                }
            }
            out.printf(repair ? "  %d repairs queued in sync.outbox: the pipeline applies them%n"
                    : "  nothing repaired (%d differences): run with --repair to queue the repairs%n", repair ? t.repairsQueued() : t.differences());
        }
        out.flush();
    }
}
