package dk.geofasync.app.status;

import dk.geofasync.applier.geofa.RequestBudget;
import dk.geofasync.applier.run.RunOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The read-only status page for staff: one HTML page, no scripts, refreshes itself every 15 s. */
public final class StatusPage {

    private StatusPage() {
    }

    public static String html(SyncStatus s) {
        return html(s, Optional.empty());
    }

    /** The page with the service's charts of the last days, where it could read them. */
    public static String html(SyncStatus s, Optional<Activity> activity) {
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
        firstThings(h, s);
        activity.ifPresent(a -> activity(h, a));

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
            boolean shared = s.consumerLag().stream().anyMatch(p -> p.appliedBy().isPresent());
            h.append("<h2>Applier position per partition</h2>\n<table><tr><th>partition</th><th>committed</th><th>end</th><th>lag</th>")
                    .append(shared ? "<th>applied by</th>" : "").append("</tr>\n");
            s.consumerLag().forEach(p -> h.append("<tr><td>").append(p.partition()).append("</td><td class=\"num\">").append(p.committed())
                    .append("</td><td class=\"num\">").append(p.end()).append("</td><td class=\"num\">").append(p.lag())
                    .append(shared ? "</td><td>" + e(p.appliedBy().orElse("(waiting for an instance)")) : "").append("</td></tr>\n"));
            h.append("</table>\n");
        }
        h.append("<p><a href=\"/status.json\">JSON</a> · <a href=\"/health/ready\">readiness</a> · <a href=\"/metrics\">metrics</a></p>\n");
        return h.append("</body></html>\n").toString();
    }

    /** What needs a person, most urgent first: each line says what to do. */
    private static void firstThings(StringBuilder h, SyncStatus s) {
        List<String> first = new ArrayList<>();
        s.serviceProblems().forEach(p -> first.add(p.startsWith(dk.geofasync.applier.pause.ApplierPause.Paused.LINE_START)
                ? "The applier is paused by staff (see above): resume it when the reason is gone; changes wait on Kafka meanwhile."
                : "A stage of the service is stopped: see the message above; it tries again by itself, the log says why it fails."));
        s.retentionWarning().ifPresent(w -> first.add("Bring the applier back before Kafka drops events (see above); then reconcile."));
        s.kafkaProblem().ifPresent(p -> first.add("Kafka is out of reach: check the brokers and --kafka-properties."));
        s.lastFailed().filter(f -> s.lastSucceeded().map(ok -> ok.id() < f.id()).orElse(true))
                .ifPresent(f -> first.add("The last run (#" + f.id() + ") failed: " + f.message().orElse("see its message") + "."));
        if (s.openDeadLetters() > 0) {
            first.add(String.format(Locale.ROOT, "%,d open dead letter%s: fix the row in VK (that supersedes its letter) or "
                    + "geofa-sync dead-letters retry|discard ID.", s.openDeadLetters(), s.openDeadLetters() == 1 ? "" : "s"));
        }
        s.reconciles().stream().filter(r -> r.unrepaired() > 0).forEach(r -> first.add(r.table() + ": the last reconcile left "
                + r.unrepaired() + " differences for a person (sync.reconcile_difference, run " + r.run() + ")."));
        if (first.isEmpty()) {
            return;
        }
        h.append("<h2>What needs a person first</h2>\n<ol id=\"first\">\n");
        first.forEach(f -> h.append("<li>").append(e(f)).append("</li>\n"));
        h.append("</ol>\n");
    }

    private static void activity(StringBuilder h, Activity a) {
        h.append("<h2>The last ").append(a.hours() / 24).append(" days</h2>\n<table id=\"activity\"><tr><th>VK table</th>")
                .append("<th>changes applied to GeoFA per hour</th><th>in all</th></tr>\n");
        if (a.tables().isEmpty()) {
            h.append("<tr><td colspan=\"3\">Nothing applied in these days.</td></tr>\n");
        }
        for (Activity.TableHours t : a.tables()) {
            h.append("<tr><td>").append(e(t.table())).append("</td><td>")
                    .append(Charts.bars("applied-" + t.table(), t.applied(), v -> String.format(Locale.ROOT, "%,d changes", v), a.hours(), "#3a7bd5"))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%,d", t.total())).append("</td></tr>\n");
        }
        List<Long> lagSeconds = a.lagPerHour().stream().map(l -> l.map(Duration::toSeconds).orElse(-1L)).toList();
        h.append("<tr><td>from VK to GeoFA</td><td>").append(Charts.bars("lag", lagSeconds, v -> StatusReport.age(Duration.ofSeconds(v))
                + " at most", a.hours(), "#d58a3a")).append("</td><td>longest wait per hour (while VK's outbox keeps the change)</td></tr>\n</table>\n");
        if (!a.deadLettersByReason().isEmpty()) {
            h.append("<h2>Open dead letters by reason</h2>\n<table id=\"letters-by-reason\"><tr><th>VK table</th><th>column</th><th>reason</th>")
                    .append("<th>letters</th></tr>\n");
            for (Activity.ReasonCount r : a.deadLettersByReason()) {
                h.append("<tr><td>").append(e(r.table())).append("</td><td>").append(e(r.column().orElse(""))).append("</td><td>").append(e(r.reason()))
                        .append("</td><td class=\"num\">").append(r.count()).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
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

    /** HTML-escapes text for a page of the service's own. */
    public static String escape(String text) {
        return e(text);
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
