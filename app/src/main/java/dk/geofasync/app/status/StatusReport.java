package dk.geofasync.app.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.geofasync.applier.geofa.RequestBudget;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@link SyncStatus} and runs as text for a terminal and as JSON for scripts (the same fields). */
public final class StatusReport {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private StatusReport() {
    }

    public static String text(SyncStatus s) {
        StringBuilder out = new StringBuilder();
        out.append("geofa-sync status at ").append(s.readAt().format(TIME)).append('\n');
        out.append(String.format(Locale.ROOT, "  outbox pending:    %,d%s%n", s.pendingTotal(), s.pending().isEmpty() ? " (the relay keeps up)" : ""));
        for (SyncStatus.PendingTable p : s.pending()) {
            out.append(String.format(Locale.ROOT, "    %-28s %,8d  oldest %s%n", p.table(), p.pending(), age(p.oldestAge())));
        }
        out.append("  relay lag:         ").append(s.relayLag().map(StatusReport::age).orElse("none")).append('\n');
        s.retentionWarning().ifPresent(w -> out.append("  WARNING:           ").append(w).append('\n'));
        if (s.kafkaProblem().isPresent()) {
            out.append("  consumer lag:      unknown: ").append(s.kafkaProblem().get()).append('\n');
        } else {
            out.append(String.format(Locale.ROOT, "  consumer lag:      %,d events%n", s.consumerLagTotal()));
            for (SyncStatus.PartitionLag p : s.consumerLag()) {
                out.append(String.format(Locale.ROOT, "    partition %-3d committed %,10d  end %,10d  lag %,d%s%n", p.partition(), p.committed(), p.end(), p.lag(),
                        p.appliedBy().map(by -> "  applied by " + by).orElse("")));
            }
        }
        out.append(String.format(Locale.ROOT, "  dead letters open: %,d%s%n", s.openDeadLetters(),
                s.openDeadLetters() > 0 ? " (geofa-sync dead-letters list)" : ""));
        for (SyncStatus.DeadLetterLine d : s.deadLetters()) {
            out.append(String.format(Locale.ROOT, "    #%d %s %s %s%s: %s%n", d.id(), d.table(), d.key(), d.op(),
                    d.column().map(c -> ", column " + c).orElse(""), d.reason()));
        }
        s.geofaBudget().ifPresent(b -> out.append("  GeoFA budget:      ").append(budgetText(b)).append('\n')
                .append("  time to drain:     ").append(drainText(s)).append('\n'));
        out.append("  last good run:     ").append(s.lastSucceeded().map(StatusReport::runText).orElse("none")).append('\n');
        out.append("  last failed run:   ").append(s.lastFailed().map(StatusReport::runText).orElse("none")).append('\n');
        out.append("  last reconcile:    ").append(s.reconciles().isEmpty() ? "none (geofa-sync reconcile)" : "").append('\n');
        for (SyncStatus.ReconcileLine r : s.reconciles()) {
            out.append(String.format(Locale.ROOT, "    %-28s #%d %s: %s%n", r.table(), r.run(), r.finishedAt().map(t -> t.format(TIME)).orElse("running"),
                    reconcileText(r)));
        }
        return out.toString();
    }

    /** {@code no differences}, or e.g. {@code 3 differences (stale 2, orphan 1), 2 repairs queued}. */
    public static String reconcileText(SyncStatus.ReconcileLine r) {
        if (r.differences() == 0) {
            return "no differences";
        }
        return r.differences() + " differences (" + r.kinds().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", ")) + "), " + r.repairsQueued() + " repairs queued";
    }

    public static String runsText(List<SyncStatus.RunLine> runs) {
        if (runs.isEmpty()) {
            return "no runs yet\n";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-6s %-8s %-19s %-9s %8s %8s %8s %8s %6s  %s%n",
                "RUN", "KIND", "STARTED", "OUTCOME", "CREATED", "UPDATED", "DELETED", "SKIPPED", "DEAD", "MESSAGE"));
        for (SyncStatus.RunLine r : runs) {
            out.append(String.format(Locale.ROOT, "%-6d %-8s %-19s %-9s %8d %8d %8d %8d %6d  %s%n", r.id(), r.kind(), r.startedAt().format(TIME),
                    r.outcome(), r.created(), r.updated(), r.deleted(), r.skipped(), r.deadLettered(), r.message().orElse("")));
        }
        return out.toString();
    }

    public static ObjectNode json(SyncStatus s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("read_at", s.readAt().toString());
        root.put("outbox_pending", s.pendingTotal());
        ArrayNode pending = root.putArray("outbox_pending_by_table");
        s.pending().forEach(p -> pending.addObject().put("table", p.table()).put("pending", p.pending()).put("oldest_age_seconds", seconds(p.oldestAge())));
        s.relayLag().ifPresentOrElse(l -> root.put("relay_lag_seconds", seconds(l)), () -> root.put("relay_lag_seconds", 0.0));
        root.put("oldest_unhandled_event_seconds", s.oldestUnhandled().map(StatusReport::seconds).orElse(0.0));
        s.retentionWarning().ifPresent(w -> root.put("retention_warning", w));
        s.serviceProblems().forEach(root.putArray("service_problems")::add);
        if (s.kafkaProblem().isPresent()) {
            root.putNull("consumer_lag");
            root.put("kafka_problem", s.kafkaProblem().get());
        } else {
            root.put("consumer_lag", s.consumerLagTotal());
        }
        ArrayNode partitions = root.putArray("consumer_lag_by_partition");
        s.consumerLag().forEach(p -> partitions.addObject().put("partition", p.partition()).put("committed", p.committed()).put("end", p.end())
                .put("lag", p.lag()).set("applied_by", p.appliedBy().<com.fasterxml.jackson.databind.JsonNode>map(
                        com.fasterxml.jackson.databind.node.TextNode::valueOf).orElse(com.fasterxml.jackson.databind.node.NullNode.getInstance())));
        root.put("dead_letters_open", s.openDeadLetters());
        ArrayNode letters = root.putArray("dead_letters");
        for (SyncStatus.DeadLetterLine d : s.deadLetters()) {
            ObjectNode l = letters.addObject().put("id", d.id()).put("created_at", d.createdAt().toString()).put("table", d.table())
                    .put("key", d.key()).put("op", d.op()).put("reason", d.reason());
            d.column().ifPresentOrElse(c -> l.put("column", c), () -> l.putNull("column"));
            d.geofaMessage().ifPresentOrElse(m -> l.put("geofa_message", m), () -> l.putNull("geofa_message"));
        }
        s.lastSucceeded().ifPresentOrElse(r -> root.set("last_succeeded_run", runJson(r)), () -> root.putNull("last_succeeded_run"));
        s.lastFailed().ifPresentOrElse(r -> root.set("last_failed_run", runJson(r)), () -> root.putNull("last_failed_run"));
        s.geofaBudget().ifPresent(b -> root.set("geofa_budget", budgetJson(s, b)));
        ArrayNode reconciles = root.putArray("reconcile");
        for (SyncStatus.ReconcileLine r : s.reconciles()) {
            ObjectNode n = reconciles.addObject().put("table", r.table()).put("run", r.run()).put("differences", r.differences())
                    .put("repairs_queued", r.repairsQueued()).put("unrepaired", r.unrepaired());
            r.finishedAt().ifPresentOrElse(t -> n.put("finished_at", t.toString()), () -> n.putNull("finished_at"));
            ObjectNode kinds = n.putObject("kinds");
            r.kinds().forEach(kinds::put);
        }
        root.put("needs_attention", s.needsAttention());
        return root;
    }

    /** The budget block: left out of the JSON where its figures are not known (the CLI), so no script reads zeros as facts. */
    private static ObjectNode budgetJson(SyncStatus s, GeofaBudget b) {
        RequestBudget.Usage u = b.usage();
        DrainEstimate pace = b.drain(0);
        ObjectNode n = JSON.createObjectNode().put("per_minute", u.perMinute()).put("no_limit", u.perMinute() <= 0)
                .put("used_last_minute", u.usedLastMinute()).put("requests_since_start", u.requests()).put("throttled_since_start", u.throttled())
                .put("events_applied_since_start", b.eventsApplied()).put("events_per_request", pace.eventsPerRequest())
                .put("events_per_request_measured", pace.measured());
        Optional<DrainEstimate> drain = s.drainEstimate();
        drain.ifPresentOrElse(d -> n.put("pending_events", d.pendingEvents()), () -> n.putNull("pending_events"));
        drain.flatMap(DrainEstimate::time).ifPresentOrElse(t -> n.put("drain_seconds_estimate", seconds(t)), () -> n.putNull("drain_seconds_estimate"));
        return n;
    }

    static String budgetText(GeofaBudget b) {
        RequestBudget.Usage u = b.usage();
        return String.format(Locale.ROOT, "%,d of %s requests in the last minute; %,d since start, %,d refused with 429", u.usedLastMinute(),
                u.perMinute() <= 0 ? "no limit" : String.format(Locale.ROOT, "%,d", u.perMinute()), u.requests(), u.throttled());
    }

    /** The estimated time to drain what is pending, or why there is none. */
    static String drainText(SyncStatus s) {
        if (s.geofaBudget().isEmpty()) {
            return "unknown: only the running service knows its request budget";
        }
        if (s.drainEstimate().isEmpty()) {
            return "unknown: the events waiting on Kafka are unknown";
        }
        DrainEstimate d = s.drainEstimate().get();
        String pace = String.format(Locale.ROOT, "%,d events pending, %,.1f events a request (%s)", d.pendingEvents(), d.eventsPerRequest(),
                d.measured() ? "measured" : "assumed: the configured rows per request, until requests are measured");
        return d.time().map(t -> "about " + about(t) + ": " + pace).orElse("no limit (no request budget of our own): " + pace);
    }

    /** A rounded-up duration for an estimate: seconds, minutes, or hours and minutes. */
    static String about(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        if (s < 120) {
            return s + " s";
        }
        long min = (s + 59) / 60;
        return min < 120 ? min + " min" : min / 60 + " h " + min % 60 + " min";
    }

    public static ArrayNode runsJson(List<SyncStatus.RunLine> runs) {
        ArrayNode array = JSON.createArrayNode();
        runs.forEach(r -> array.add(runJson(r)));
        return array;
    }

    static ObjectNode runJson(SyncStatus.RunLine r) {
        ObjectNode n = JSON.createObjectNode().put("id", r.id()).put("kind", r.kind()).put("started_at", r.startedAt().toString());
        r.finishedAt().ifPresentOrElse(f -> n.put("finished_at", f.toString()), () -> n.putNull("finished_at"));
        n.put("outcome", r.outcome()).put("created", r.created()).put("updated", r.updated()).put("deleted", r.deleted())
                .put("skipped", r.skipped()).put("dead_lettered", r.deadLettered());
        r.message().ifPresentOrElse(m -> n.put("message", m), () -> n.putNull("message"));
        return n;
    }

    static String runText(SyncStatus.RunLine r) {
        return String.format(Locale.ROOT, "#%d %s %s, %s: created %d, updated %d, deleted %d, dead letters %d%s", r.id(), r.kind(),
                r.startedAt().format(TIME), r.outcome(), r.created(), r.updated(), r.deleted(), r.deadLettered(),
                r.message().map(m -> " (" + m + ")").orElse(""));
    }

    static String age(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? (d.toMillis() / 1000.0 + " s").replaceAll("\\.0 s$", " s") : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    static String time(OffsetDateTime t) {
        return t.format(TIME);
    }
}
