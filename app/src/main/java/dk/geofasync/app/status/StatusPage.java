package dk.geofasync.app.status;

import dk.geofasync.applier.geofa.RequestBudget;
import dk.geofasync.applier.run.RunOutcome;
import java.util.Locale;

/** The read-only status page for staff: one HTML page, no scripts, refreshes itself every 15 s. */
public final class StatusPage {

    private StatusPage() {
    }

    public static String html(SyncStatus s) {
        StringBuilder h = new StringBuilder(8_192);
        h.append("""
                <!DOCTYPE html>
                <html lang="da"><head><meta charset="utf-8"><meta http-equiv="refresh" content="15">
                <title>geofa-sync status</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:2em;color:#222}
                table{border-collapse:collapse;margin:.5em 0 1.5em}
                th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
                th{background:#f3f3f3}.num{text-align:right}.bad{color:#a00;font-weight:bold}.ok{color:#070;font-weight:bold}
                pre{margin:0;white-space:pre-wrap;font-size:.85em}
                </style></head><body>
                <h1>geofa-sync</h1>
                """);
        h.append("<p id=\"summary\" class=\"").append(s.needsAttention() ? "bad" : "ok").append("\">")
                .append(s.needsAttention() ? "Needs attention" : "All well").append("</p>\n");
        h.append("<p>Read at ").append(e(StatusReport.time(s.readAt()))).append(". ")
                .append(String.format(Locale.ROOT, "Outbox pending: %,d; relay lag: %s; consumer lag: %s; open dead letters: %,d.",
                        s.pendingTotal(), s.relayLag().map(StatusReport::age).orElse("none"),
                        s.kafkaProblem().map(p -> "unknown (" + e(p) + ")").orElse(String.format(Locale.ROOT, "%,d events", s.consumerLagTotal())),
                        s.openDeadLetters()))
                .append("</p>\n");

        s.retentionWarning().ifPresent(w -> h.append("<p id=\"retention\" class=\"bad\">").append(e(w)).append("</p>\n"));
        s.serviceProblems().forEach(p -> h.append("<p class=\"bad problem\">").append(e(p)).append("</p>\n"));

        s.geofaBudget().ifPresent(b -> budget(h, s, b));

        h.append("<h2>Pending in the outbox</h2>\n");
        if (s.pending().isEmpty()) {
            h.append("<p>Nothing pending: the relay keeps up.</p>\n");
        } else {
            h.append("<table><tr><th>VK table</th><th>pending</th><th>oldest</th></tr>\n");
            s.pending().forEach(p -> h.append("<tr><td>").append(e(p.table())).append("</td><td class=\"num\">").append(p.pending())
                    .append("</td><td>").append(e(StatusReport.age(p.oldestAge()))).append("</td></tr>\n"));
            h.append("</table>\n");
        }

        h.append("<h2>Dead letters (open)</h2>\n");
        if (s.deadLetters().isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<table id=\"dead-letters\"><tr><th>#</th><th>since</th><th>VK table</th><th>key</th><th>op</th><th>column</th>"
                    + "<th>reason</th><th>GeoFA's message</th></tr>\n");
            for (SyncStatus.DeadLetterLine d : s.deadLetters()) {
                h.append("<tr><td>").append(d.id()).append("</td><td>").append(e(StatusReport.time(d.createdAt()))).append("</td><td>")
                        .append(e(d.table())).append("</td><td>").append(e(d.key())).append("</td><td>").append(e(d.op())).append("</td><td>")
                        .append(e(d.column().orElse(""))).append("</td><td>").append(e(d.reason())).append("</td><td><pre>")
                        .append(e(d.geofaMessage().orElse(""))).append("</pre></td></tr>\n");
            }
            h.append("</table>\n<p>Fix the VK row, then <code>geofa-sync dead-letters retry ID</code>.</p>\n");
        }

        h.append("<h2>Recent runs</h2>\n<table id=\"runs\"><tr><th>run</th><th>kind</th><th>started</th><th>outcome</th><th>created</th>"
                + "<th>updated</th><th>deleted</th><th>skipped</th><th>dead letters</th><th>message</th></tr>\n");
        for (SyncStatus.RunLine r : s.recentRuns()) {
            h.append("<tr><td>").append(r.id()).append("</td><td>").append(e(r.kind())).append("</td><td>").append(e(StatusReport.time(r.startedAt())))
                    .append("</td><td class=\"").append(r.outcome().equals(RunOutcome.FAILED.code()) ? "bad" : "").append("\">").append(e(r.outcome()))
                    .append("</td><td class=\"num\">").append(r.created()).append("</td><td class=\"num\">").append(r.updated())
                    .append("</td><td class=\"num\">").append(r.deleted()).append("</td><td class=\"num\">").append(r.skipped())
                    .append("</td><td class=\"num\">").append(r.deadLettered()).append("</td><td>").append(e(r.message().orElse("")))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        h.append("<h2>Last reconcile</h2>\n");
        if (s.reconciles().isEmpty()) {
            h.append("<p>None yet: <code>geofa-sync reconcile</code> compares VK with GeoFA.</p>\n");
        } else {
            h.append("<table id=\"reconcile\"><tr><th>table</th><th>run</th><th>finished</th><th>result</th></tr>\n");
            for (SyncStatus.ReconcileLine r : s.reconciles()) {
                h.append("<tr><td>").append(e(r.table())).append("</td><td>").append(r.run()).append("</td><td>")
                        .append(e(r.finishedAt().map(StatusReport::time).orElse("running"))).append("</td><td class=\"")
                        .append(r.unrepaired() > 0 ? "bad" : "").append("\">").append(e(StatusReport.reconcileText(r))).append("</td></tr>\n");
            }
            h.append("</table>\n<p>Each difference: <code>select * from sync.reconcile_difference where run_id = RUN</code>.</p>\n");
        }
        if (!s.consumerLag().isEmpty()) {
            h.append("<h2>Applier position per partition</h2>\n<table><tr><th>partition</th><th>committed</th><th>end</th><th>lag</th></tr>\n");
            s.consumerLag().forEach(p -> h.append("<tr><td>").append(p.partition()).append("</td><td class=\"num\">").append(p.committed())
                    .append("</td><td class=\"num\">").append(p.end()).append("</td><td class=\"num\">").append(p.lag()).append("</td></tr>\n"));
            h.append("</table>\n");
        }
        h.append("<p><a href=\"/status.json\">JSON</a> · <a href=\"/health/ready\">readiness</a> · <a href=\"/metrics\">metrics</a></p>\n");
        return h.append("</body></html>\n").toString();
    }

    private static void budget(StringBuilder h, SyncStatus s, GeofaBudget b) {
        RequestBudget.Usage u = b.usage();
        h.append("<h2>GeoFA request budget</h2>\n<table id=\"geofa-budget\">\n")
                .append("<tr><th>limit per minute</th><td class=\"num\">")
                .append(u.perMinute() <= 0 ? "no limit" : String.format(Locale.ROOT, "%,d", u.perMinute())).append("</td></tr>\n")
                .append(String.format(Locale.ROOT, "<tr><th>used in the last minute</th><td class=\"num\">%,d</td></tr>\n", u.usedLastMinute()))
                .append(String.format(Locale.ROOT, "<tr><th>429s seen since start</th><td class=\"num\">%,d</td></tr>\n", u.throttled()))
                .append(String.format(Locale.ROOT, "<tr><th>requests since start</th><td class=\"num\">%,d</td></tr>\n", u.requests()))
                .append("<tr><th>time to drain what is pending</th><td id=\"drain\">").append(e(StatusReport.drainText(s))).append("</td></tr>\n")
                .append("</table>\n");
    }

    /** HTML-escapes text from the database (reasons and messages may hold anything staff typed). */
    static String e(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
