package dk.geofasync.app.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;

/** A reconcile's report for scripts: every table, its counts by kind and every finding (keys, objekt_ids and column names). */
public final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportJson() {
    }

    public static void print(Reconcile.Report report, PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("run", report.run());
        root.put("differences", report.differences());
        ArrayNode tables = root.putArray("tables");
        for (TableResult t : report.tables()) {
            ObjectNode n = tables.addObject();
            n.put("table", t.table());
            n.put("theme", t.theme());
            n.put("vk_rows", t.vkRows());
            n.put("geofa_objects", t.geofaObjects());
            n.put("buckets", t.buckets());
            n.put("differing_buckets", t.differingBuckets());
            n.put("in_flight", t.inFlight());
            n.put("repairs_queued", t.repairsQueued());
            n.put("geofa_requests", t.geofaRequests());
            n.put("geofa_seconds", t.geofaSeconds());
            n.put("vk_seconds", t.vkSeconds());
            ObjectNode counts = n.putObject("counts");
            t.counts().forEach((k, v) -> counts.put(k.code(), v));
            ArrayNode findings = n.putArray("findings");
            for (Finding f : t.findings()) {
                ObjectNode fn = findings.addObject();
                fn.put("kind", f.kind().code());
                fn.put("key", f.key());
                f.objektId().ifPresent(id -> fn.put("objekt_id", id.toString()));
                ArrayNode columns = fn.putArray("columns");
                f.columns().forEach(columns::add);
                fn.put("repair", f.repair().name().toLowerCase(Locale.ROOT));
            }
        }
        out.println(root.toPrettyString());
        out.flush();
    }
}
