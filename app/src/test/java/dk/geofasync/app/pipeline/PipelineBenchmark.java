package dk.geofasync.app.pipeline;

import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.transport.topic.TopicSettings;
import dk.geofasync.applier.apply.Applied;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.mapping.Mapping;
import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.db.DataSources;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.GeofaVersion;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The applier's speed against the fake GeoFA enforcing GeoFA's limit of 120 requests a minute, with
 * 20 ms added to every request: a backfill of 100,000 objects through the whole pipeline (target:
 * every objekt_id back in VK within 60 s, 0 responses 429), then VK commit -> applied in GeoFA at a
 * steady 200 changes/s with the pipeline running as the service runs it (target: p99 <= 1 s).
 * Prints the requests used. Run with {@code ./mvnw -B -ntp verify -Pbench -pl app -am}; add
 * {@code -Dbench.geofa.db=JDBC_URL} to run it against a database holding the real FKG model.
 */
@Tag("bench")
class PipelineBenchmark {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final int PER_TABLE = Integer.getInteger("bench.objectsPerTable", 20_000);

    @Test
    void backfillThroughputAndSteadyLatency() throws Exception {
        // pooled, as the service and geofa-sync once run (the test harness's data source opens a connection per use)
        // -Dbench.geofa.db=JDBC_URL: the fake serves a database holding the real FKG model (README, "Checking against the real FKG model")
        String realModel = System.getProperty("bench.geofa.db", "");
        DatabaseConfig geofaDb = realModel.isBlank() ? db.config() : DatabaseConfig.of(realModel, db.config().user(), db.config().password());
        try (FakeGeofa fake = FakeGeofa.start(geofaDb, FakeGeofa.Settings.defaults());
             HikariDataSource vk = DataSources.pooled(db.config().withMaxPoolSize(12), "bench")) {
            Sandbox.reset(db.dataSource(), fake.database(), MAPPING, PER_TABLE, Sandbox.DEFAULT_SEED);
            SyncSchema.migrate(db.dataSource());
            new CaptureInstaller(db.dataSource()).install(MAPPING);
            fake.faults().latency(Duration.ofMillis(20));
            GeofaSettings geofa = GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox"));
            LocalPipeline.Settings settings = new LocalPipeline.Settings(vk, MAPPING, KafkaConnection.plain(kafka.bootstrapServers()), geofa,
                    SharedKafka.unique("changes"), SharedKafka.unique("replies"), SharedKafka.unique("dead-letters"), SharedKafka.unique("applier"), TopicSettings.SINGLE_BROKER);

            fake.resetTraffic();
            long enqueued = new Backfill(db.dataSource(), 5_000).run(MAPPING, Optional.empty(), false).values().stream().mapToLong(Long::longValue).sum();
            try (LocalPipeline pipeline = new LocalPipeline(settings)) {
                long started = System.nanoTime();
                Map<Applied, Integer> done = pipeline.syncUntilIdle();
                double seconds = (System.nanoTime() - started) / 1e9;
                int created = done.getOrDefault(Applied.CREATED, 0);
                dk.geofasync.sandbox.geofa.Traffic traffic = fake.traffic();
                double geofaSeconds = fake.busy().toNanos() / 1e9;
                System.out.printf(Locale.ROOT, "BENCH applier backfill: %,d rows enqueued, %,d objects created in GeoFA (limit %d requests/min, "
                        + "20 ms per request) and written back in %.1f s = %,.0f objects/s (target: 100,000 in <= 60 s); %,d requests, %,d answered 429, "
                        + "busiest minute %d; outcomes %s; the fake GeoFA's database worked %.1f s of it (on the same two cores), the rest "
                        + "%.1f s = %,.0f objects/s%n", enqueued, created, fake.rateLimit(), seconds, created / seconds, traffic.requests(),
                        traffic.refused(), traffic.busiestMinute(), done, geofaSeconds, seconds - geofaSeconds, created / (seconds - geofaSeconds));
                fake.resetTraffic();
            }
            try (LocalPipeline pipeline = new LocalPipeline(settings)) {
                pipeline.start();
                steadyLatency(fake, 200, 30);
                dk.geofasync.sandbox.geofa.Traffic traffic = fake.traffic();
                System.out.printf(Locale.ROOT, "BENCH steady: %,d requests, %,d answered 429, busiest minute %d%n", traffic.requests(),
                        traffic.refused(), traffic.busiestMinute());
            }
        }
    }

    /** Updates {@code rate} points per second for {@code seconds}; latency = GeoFA's new version time - VK's commit time. */
    private static void steadyLatency(FakeGeofa fake, int rate, int seconds) throws Exception {
        Map<String, OffsetDateTime> committed = new HashMap<>();
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        try (Connection c = db.connect(); PreparedStatement update = c.prepareStatement(
                "update vk.facilitet_punkt set navn = ? where id = ? returning clock_timestamp()")) {
            for (int i = 0; i < rate * seconds; i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String name = "bench " + i;
                update.setString(1, name);
                update.setInt(2, 1 + (i * 7919) % PER_TABLE);
                try (ResultSet rs = update.executeQuery()) {
                    rs.next();
                    committed.put(name, rs.getObject(1, OffsetDateTime.class));
                }
            }
        }
        List<Double> latencies = new ArrayList<>();
        Await.holdsWithin(Duration.ofSeconds(30), () -> {
            latencies.clear();
            for (GeofaVersion v : fake.versions("t_5800_fac_pkt")) {
                OffsetDateTime at = v.text("navn").map(committed::get).orElse(null);
                if (at != null) {
                    latencies.add(Duration.between(at, v.systidFra()).toNanos() / 1e6);
                }
            }
            return latencies.size() >= committed.size();
        });
        Collections.sort(latencies);
        System.out.printf(Locale.ROOT, "BENCH applier latency at %d changes/s for %d s: %d of %d arrived; VK commit -> GeoFA version "
                        + "p50 %.0f ms, p99 %.0f ms, max %.0f ms (target p99 <= 1,000 ms)%n", rate, seconds, latencies.size(), committed.size(),
                percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1));
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
