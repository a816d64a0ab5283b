package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.kafka.KafkaBroker;
import dk.geofasync.sandbox.vk.SampleVk;
import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.transport.topic.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * geofa-sync on a replicated Kafka (3 brokers, its topics with 3 replicas and 2 in sync, the
 * production defaults): a broker lost while staff edit and the service runs costs nothing. A minute
 * long, so in its own profile: {@code ./mvnw -B -ntp verify -Pcluster -pl app -am}.
 */
@Tag("cluster")
class ReplicatedKafkaTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final int PER_TABLE = 60;
    static final int EDIT_ROUNDS = 12;

    @Test
    void brokerLostMidRunLosesNoChangeAndTheSyncGoesOn() throws Exception {
        try (KafkaBroker cluster = KafkaBroker.startCluster(3);
             FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults())) {
            Sandbox.reset(db.dataSource(), fake.database(), MAPPING, PER_TABLE, Sandbox.DEFAULT_SEED);
            SyncSchema.migrate(db.dataSource());
            new CaptureInstaller(db.dataSource()).install(MAPPING);
            new Backfill(db.dataSource(), 1_000).run(MAPPING, Optional.empty(), false);
            GeofaSettings geofa = GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox"))
                    .withRequestTimeout(Duration.ofSeconds(5)).withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
            LocalPipeline.Settings settings = new LocalPipeline.Settings(db.dataSource(), MAPPING, KafkaConnection.plain(cluster.bootstrapServers()),
                    geofa, "replicated.changes", "replicated.replies", "replicated.dead-letters", "replicated-applier", TopicSettings.PRODUCTION);

            int lost = -1;
            try (LocalPipeline pipeline = new LocalPipeline(settings)) {
                pipeline.start();
                for (int round = 1; round <= EDIT_ROUNDS; round++) {
                    db.execute("update vk.facilitet_punkt set navn = 'runde " + round + " ' || id where id % " + EDIT_ROUNDS + " = " + (round - 1)
                            + " or id % 5 = 0");
                    if (round == EDIT_ROUNDS / 2) {
                        // the leader of the changes topic's first partition: the relay and the applier both lose it
                        lost = leaderOfFirstPartition(cluster.bootstrapServers(), "replicated.changes");
                        cluster.stopBroker(lost);
                    }
                    Thread.sleep(400);
                }
                Await.until("every change published and handled", Duration.ofSeconds(120), () ->
                        GeofaMatchesVk.count(db, "select count(*) from sync.outbox where published_at is null") == 0
                                && GeofaMatchesVk.count(db, "select count(*) from sync.outbox o where not ("
                                        + dk.geofasync.capture.housekeeping.OutboxHousekeeping.handledSql("o.id") + ")") == 0
                                && GeofaMatchesVk.count(db, "select count(*) from vk.facilitet_punkt where objekt_id is null") == 0);
                assertThat(pipeline.stoppedBecause()).isEmpty();
            }

            assertThat(lost).as("a broker was stopped").isNotNegative();
            assertThat(GeofaMatchesVk.assertOneToOne(db, fake, MAPPING)).isEqualTo(5 * PER_TABLE);
            assertThat(GeofaMatchesVk.count(db, "select count(*) from sync.dead_letter")).as("nothing refused or given up").isZero();
            assertThat(fake.current("t_5800_fac_pkt")).extracting(v -> v.text("navn").orElse("")).anyMatch(n -> n.startsWith("runde " + EDIT_ROUNDS));
        }
    }

    private static int leaderOfFirstPartition(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0).leader().id();
        }
    }
}
