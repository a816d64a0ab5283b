package dk.geofasync.app.service;

import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.app.status.DrainEstimate;
import dk.geofasync.app.status.SyncStatus;
import dk.geofasync.applier.apply.Applied;
import dk.geofasync.applier.geofa.RequestBudget;
import dk.geofasync.transport.relay.RelayStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The service's Prometheus metrics, one family per stage: capture (outbox pending, oldest age),
 * relay (published, failures), applier (applied by outcome, consumer lag, dead letters open, the
 * GeoFA request budget and the time to drain), and the JVM. Gauges of the backlog read the last
 * {@link SyncStatus}, which the service refreshes every few seconds; counters read the stages live.
 */
public final class SyncMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<SyncStatus> status = new AtomicReference<>();
    /** Held here because Micrometer holds what its meters read only weakly. */
    private final Stages stages;

    /** Where the live counters come from: the pipeline's stages, or fixed figures in a test. */
    public record Stages(Supplier<Map<Applied, Integer>> applied, Supplier<RelayStats> relay, Supplier<RequestBudget.Usage> geofaBudget) {
    }

    public SyncMetrics(LocalPipeline pipeline) {
        this(new Stages(pipeline::appliedSoFar, pipeline::relayStats, pipeline::geofaBudget));
    }

    public SyncMetrics(Stages stages) {
        this.stages = stages;
        for (Applied outcome : Applied.values()) {
            FunctionCounter.builder("geofa_sync_applier_events", stages, p -> p.applied().get().getOrDefault(outcome, 0))
                    .description("change events the applier finished, by outcome").tag("outcome", outcome.name().toLowerCase())
                    .register(registry);
        }
        // an instance on standby serves 0 (Served.Standby): which of several instances applies
        Gauge.builder("geofa_sync_active", () -> 1).description("1 when this instance applies, 0 on standby").register(registry);
        FunctionCounter.builder("geofa_sync_relay_published", stages, p -> p.relay().get().events())
                .description("outbox rows published to Kafka").register(registry);
        FunctionCounter.builder("geofa_sync_relay_failures", stages, p -> p.relay().get().failures())
                .description("relay rounds that failed and were retried").register(registry);
        FunctionCounter.builder("geofa_sync_geofa_requests", stages, p -> p.geofaBudget().get().requests())
                .description("requests this process sent to GeoFA since start").register(registry);
        FunctionCounter.builder("geofa_sync_geofa_throttled", stages, p -> p.geofaBudget().get().throttled())
                .description("GeoFA requests refused for its rate limit (HTTP 429) since start").register(registry);
        Gauge.builder("geofa_sync_geofa_requests_last_minute", stages, p -> p.geofaBudget().get().usedLastMinute())
                .description("requests sent to GeoFA in the last 60 s").register(registry);
        Gauge.builder("geofa_sync_geofa_budget_per_minute", stages, p -> p.geofaBudget().get().perMinute())
                .description("the sync's request budget a minute; 0 = no limit of our own").register(registry);
        gauge("geofa_sync_drain_seconds_estimate", "estimated time to apply what is pending (outbox and Kafka) at the request budget's pace; "
                + "NaN with no limit or when Kafka is out of reach", s -> s.drainEstimate().flatMap(DrainEstimate::time)
                .map(t -> t.toMillis() / 1000.0).orElse(Double.NaN));
        gauge("geofa_sync_outbox_pending", "changes not yet published: outbox rows, and captured keys the pump has not taken", s -> s.pendingTotal());
        gauge("geofa_sync_relay_lag_seconds", "age of the oldest unpublished outbox row", s -> s.relayLag().map(d -> d.toMillis() / 1000.0).orElse(0.0));
        gauge("geofa_sync_oldest_unhandled_event_seconds", "age of the oldest event on Kafka for over a day that the applier has not handled "
                + "(Kafka keeps 7 days)", s -> s.oldestUnhandled().map(d -> d.toMillis() / 1000.0).orElse(0.0));
        gauge("geofa_sync_applier_consumer_lag", "change events on Kafka the applier has not committed", s -> s.consumerLagTotal());
        gauge("geofa_sync_dead_letters_open", "open dead letters", s -> s.openDeadLetters());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private void gauge(String name, String description, java.util.function.ToDoubleFunction<SyncStatus> value) {
        Gauge.builder(name, status, ref -> ref.get() == null ? Double.NaN : value.applyAsDouble(ref.get())).description(description).register(registry);
    }

    public void update(SyncStatus latest) {
        status.set(latest);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
