package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.transport.topic.TopicSettings;
import dk.geofasync.applier.apply.ChangeApplier;
import dk.geofasync.applier.apply.WithheldValues;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.event.Operation;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code sensitive} column's values (personal data: a contact person's name and phone number)
 * reach GeoFA, and never the changes topic: the relay withholds them and the applier reads them
 * back from VK.
 */
class PersonalDataStaysInVkTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final String CONTACT = "Jens Hansen, tlf. 20304050";

    @Test
    void aContactPersonReachesGeofaButNotTheTopic() throws Exception {
        try (FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults())) {
            Sandbox.reset(db.dataSource(), fake.database(), MAPPING, 20, Sandbox.DEFAULT_SEED);
            SyncSchema.migrate(db.dataSource());
            new CaptureInstaller(db.dataSource()).install(MAPPING);
            db.execute("update vk.facilitet_punkt set kontak_ved = 'Mette Jensen, 40506070' where id = 4");
            new Backfill(db.dataSource(), 5_000).run(MAPPING, Optional.empty(), false);
            String changes = SharedKafka.unique("changes");
            LocalPipeline.Settings settings = new LocalPipeline.Settings(db.dataSource(), MAPPING, KafkaConnection.plain(kafka.bootstrapServers()),
                    GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox")), changes, SharedKafka.unique("replies"),
                    SharedKafka.unique("dead-letters"), SharedKafka.unique("applier"), TopicSettings.SINGLE_BROKER);
            try (LocalPipeline pipeline = new LocalPipeline(settings)) {
                pipeline.syncUntilIdle();
                db.execute("update vk.facilitet_punkt set kontak_ved = '" + CONTACT + "' where id = 3");
                pipeline.syncUntilIdle();
            }

            assertThat(contactInGeofa(fake, 3)).contains(CONTACT);
            assertThat(contactInGeofa(fake, 4)).as("a create's withheld value").contains("Mette Jensen, 40506070");
            assertThat(kafka.readToEnd(changes)).isNotEmpty().allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                    .doesNotContain("Jens Hansen").doesNotContain("20304050").doesNotContain("Mette Jensen"));
        }
    }

    @Test
    void anEventWhoseOutboxRowIsGoneGetsTheRowsCurrentValue() throws Exception {
        try (FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults())) {
            Sandbox.reset(db.dataSource(), fake.database(), MAPPING, 20, Sandbox.DEFAULT_SEED);
            SyncSchema.migrate(db.dataSource());
            db.execute("update vk.facilitet_punkt set kontak_ved = '" + CONTACT + "' where id = 5");
            Map<String, String> after = new HashMap<>();
            after.put("navn", "Shelter");
            after.put("kontak_ved", null);
            // replayed from Kafka after its outbox row was purged
            ChangeEvent event = new ChangeEvent("src:999999", 999_999, "1", "vk.facilitet_punkt", "5", Operation.UPDATE, Instant.now(),
                    ColumnValues.of(Map.of("kontak_ved", "")), ColumnValues.of(after), Set.of("kontak_ved"));

            List<ChangeApplier.Incoming> restored = new WithheldValues(db.dataSource(), MAPPING)
                    .restore(List.of(new ChangeApplier.Incoming(event, new byte[0])));

            assertThat(restored.get(0).event().newValues().value("kontak_ved")).contains(CONTACT);
            assertThat(restored.get(0).event().withheld()).isEmpty();
            assertThat(restored.get(0).event().changedColumns()).containsExactly("kontak_ved");
        }
    }

    private static Optional<String> contactInGeofa(FakeGeofa fake, int id) {
        return fake.current("t_5800_fac_pkt").stream().filter(v -> v.text("noegle").orElse("").equals("vk.facilitet_punkt:" + id))
                .findFirst().flatMap(v -> v.text("kontak_ved"));
    }
}
