package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One run converges: with GeoFA losing one answer in five after it committed (and enforcing its
 * rate limit), a single {@code syncUntilIdle} (what {@code once} runs) applies a backfill and then a
 * round of edits completely, with no 429 and no object twice.
 */
class OnceConvergesTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final int PER_TABLE = 200;

    @Test
    void oneRunAppliesEverythingAlthoughOneAnswerInFiveIsLost() throws Exception {
        try (FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults())) {
            Sandbox.reset(db.dataSource(), fake.database(), MAPPING, PER_TABLE, Sandbox.DEFAULT_SEED);
            SyncSchema.migrate(db.dataSource());
            new CaptureInstaller(db.dataSource()).install(MAPPING);
            int enqueued = (int) new Backfill(db.dataSource(), 5_000).run(MAPPING, Optional.empty(), false).values().stream().mapToLong(Long::longValue).sum();
            // small requests, so that there are many answers to lose
            GeofaSettings geofa = GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox"))
                    .withRequestTimeout(Duration.ofSeconds(2)).withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).withMaxRowsPerRequest(50);
            LocalPipeline.Settings settings = new LocalPipeline.Settings(db.dataSource(), MAPPING, KafkaConnection.plain(kafka.bootstrapServers()), geofa,
                    SharedKafka.unique("changes"), SharedKafka.unique("replies"), SharedKafka.unique("dead-letters"), SharedKafka.unique("applier"),
                    TopicSettings.SINGLE_BROKER);
            fake.faults().loseShare(0.2, LostResponse.DROP_CONNECTION);

            Map<Applied, Integer> backfill;
            try (LocalPipeline pipeline = new LocalPipeline(settings)) {
                backfill = pipeline.syncUntilIdle();
            }
            assertThat(backfill).containsEntry(Applied.CREATED, enqueued);
            GeofaMatchesVk.assertOneToOne(db, fake, MAPPING);

            db.execute("update vk.facilitet_punkt set navn = 'Omdøbt ' || id where id % 2 = 0");
            db.execute("update vk.rute_linje set navn = 'Omdøbt ' || id where id % 3 = 0");
            Map<Applied, Integer> edits;
            try (LocalPipeline pipeline = new LocalPipeline(settings)) {
                edits = pipeline.syncUntilIdle();
            }
            assertThat(edits.getOrDefault(Applied.UPDATED, 0) + edits.getOrDefault(Applied.SKIPPED, 0)).isEqualTo(PER_TABLE / 2 + PER_TABLE / 3);
            GeofaMatchesVk.assertOneToOne(db, fake, MAPPING);
            assertThat(fake.current("t_5800_fac_pkt").stream().filter(v -> v.text("navn").orElse("").startsWith("Omdøbt ")).count())
                    .isEqualTo(PER_TABLE / 2);

            Traffic traffic = fake.traffic();
            assertThat(traffic.refused()).as("responses 429").isZero();
            assertThat(traffic.busiestMinute()).isLessThanOrEqualTo(GeofaSettings.DEFAULT_REQUESTS_PER_MINUTE);
        }
    }
}
