package dk.geofasync.app.service;

import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.app.status.SyncStatus;
import dk.geofasync.applier.apply.Applied;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's Prometheus metrics, one family per stage: capture (outbox pending, oldest age),
 * relay (published, failures), applier (applied by outcome, consumer lag, dead letters open), and
 * the JVM. Gauges read the last {@link SyncStatus}, which the service refreshes every few seconds.
 */
public final class SyncMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<SyncStatus> status = new AtomicReference<>();

    public SyncMetrics(LocalPipeline pipeline) {
        for (Applied outcome : Applied.values()) {
            FunctionCounter.builder("geofa_sync_applier_events", pipeline, p -> p.appliedSoFar().getOrDefault(outcome, 0))
                    .description("change events the applier finished, by outcome").tag("outcome", outcome.name().toLowerCase())
                    .register(registry);
        }
        FunctionCounter.builder("geofa_sync_relay_published", pipeline, p -> p.relayStats().events())
                .description("outbox rows published to Kafka").register(registry);
        FunctionCounter.builder("geofa_sync_relay_failures", pipeline, p -> p.relayStats().failures())
                .description("relay rounds that failed and were retried").register(registry);
        gauge("geofa_sync_outbox_pending", "outbox rows not yet published", s -> s.pendingTotal());
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

    void update(SyncStatus latest) {
        status.set(latest);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
