package dk.geofasync.app.pipeline;

import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.transport.topic.TopicSettings;
import dk.geofasync.applier.apply.Applied;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.LostResponse;
import dk.geofasync.sandbox.geofa.Traffic;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code once} (one {@code syncUntilIdle}) against the fake GeoFA enforcing its 120 requests a minute,
 * 20 ms added to every request and one answer in five lost after commit: a backfill of about 6,000
 * objects, then 3,000 edits of them. Prints each run's time, outcomes and requests, and the time the
 * request budget alone would take for them. Run with
 * {@code ./mvnw -B -ntp verify -Pbench -pl app -am -Dtest=OnceBenchmark}.
 */
@Tag("bench")
class OnceBenchmark {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final int PER_TABLE = 1_200;

    @Test
    void onceConvergesUnderTheLimitWithLostAnswers() throws Exception {
        try (FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults())) {
            Sandbox.reset(db.dataSource(), fake.database(), MAPPING, PER_TABLE, Sandbox.DEFAULT_SEED);
            SyncSchema.migrate(db.dataSource());
            new CaptureInstaller(db.dataSource()).install(MAPPING);
            long enqueued = new Backfill(db.dataSource(), 5_000).run(MAPPING, Optional.empty(), false).values().stream().mapToLong(Long::longValue).sum();
            fake.faults().latency(Duration.ofMillis(20)).loseShare(0.2, LostResponse.DROP_CONNECTION);
            GeofaSettings geofa = GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox"));
            LocalPipeline.Settings settings = new LocalPipeline.Settings(db.dataSource(), MAPPING, KafkaConnection.plain(kafka.bootstrapServers()), geofa,
                    SharedKafka.unique("changes"), SharedKafka.unique("replies"), SharedKafka.unique("dead-letters"), SharedKafka.unique("applier"),
                    TopicSettings.SINGLE_BROKER);

            run("backfill of " + enqueued + " objects", fake, settings);
            GeofaMatchesVk.assertOneToOne(db, fake, MAPPING);

            // 3,000 edits spread over the objects of all five tables, one transaction each table
            db.execute("update vk.facilitet_punkt set navn = 'Omdøbt ' || id where id % 2 = 0");
            db.execute("update vk.facilitet_flade set navn = 'Omdøbt ' || id where id % 2 = 0");
            db.execute("update vk.rute_linje set navn = 'Omdøbt ' || id where id % 2 = 0");
            db.execute("update vk.ladefacilitet set ejer_ladefacilitet = 'Ejer ' || id where id % 2 = 0");
            db.execute("update vk.skoledistrikt set udd_distrikt_navn = 'Distrikt ' || id where id % 2 = 0");
            run("3,000 edits", fake, settings);
            GeofaMatchesVk.assertOneToOne(db, fake, MAPPING);
        }
    }

    private static void run(String what, FakeGeofa fake, LocalPipeline.Settings settings) throws Exception {
        fake.resetTraffic();
        long started = System.nanoTime();
        Map<Applied, Integer> done;
        try (LocalPipeline pipeline = new LocalPipeline(settings)) {
            done = pipeline.syncUntilIdle();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Traffic traffic = fake.traffic();
        System.out.printf(Locale.ROOT, "BENCH once, %s (limit %d/min, 20 ms per request, one answer in five lost): 1 run, %.1f s; %,d requests "
                        + "(the budget of 110 a minute alone: %.0f s), %,d answered 429, busiest minute %d; outcomes %s%n", what, fake.rateLimit(),
                seconds, traffic.requests(), traffic.requests() * 60.0 / GeofaSettings.DEFAULT_REQUESTS_PER_MINUTE, traffic.refused(),
                traffic.busiestMinute(), done);
    }
}
