package dk.geofasync.app.service;

import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.transport.topic.TopicSettings;
import java.time.Duration;
import javax.sql.DataSource;

/** The service tests' world: the sandbox reset, the sync schema and capture in place, a pipeline on topics of its own. */
final class SandboxPipeline {

    static final Mapping MAPPING = SampleVk.vejleMapping();

    private SandboxPipeline() {
    }

    /** Resets the sandbox to {@code objects} per table and answers the pipeline's settings over {@code vk}. */
    static LocalPipeline.Settings prepare(PostgisDatabase db, SharedKafka kafka, DataSource vk, FakeGeofa fake, int objects) throws Exception {
        Sandbox.reset(db.dataSource(), fake.database(), MAPPING, objects, Sandbox.DEFAULT_SEED);
        SyncSchema.migrate(db.dataSource());
        new CaptureInstaller(db.dataSource()).install(MAPPING);
        GeofaSettings geofa = GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox")).withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
        return new LocalPipeline.Settings(vk, MAPPING, KafkaConnection.plain(kafka.bootstrapServers()), geofa,
                SharedKafka.unique("changes"), SharedKafka.unique("replies"), SharedKafka.unique("dead-letters"), SharedKafka.unique("applier"),
                TopicSettings.SINGLE_BROKER);
    }
}
