package dk.geofasync.transport.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.transport.TransportWorld;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicSetupTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    @Test
    void createsTheTopicAsConfiguredOnceAndLeavesItAfterwards() throws Exception {
        String name = SharedKafka.unique("changes");
        try (Admin admin = new TransportWorld(db, kafka).admin()) {
            TopicSetup setup = new TopicSetup(admin);

            assertThat(setup.ensure(new TopicSpec(name, 4, (short) 1, 1, Duration.ofDays(3), "delete"))).isTrue();
            assertThat(setup.ensure(new TopicSpec(name, 8, (short) 1, 1, Duration.ofDays(3), "delete"))).isFalse();

            assertThat(admin.describeTopics(Set.of(name)).allTopicNames().get().get(name).partitions()).hasSize(4);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(3).toMillis()));
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    @Test
    void moreReplicasThanKafkaHasBrokersIsRefusedNamingTheSetting() throws Exception {
        String name = SharedKafka.unique("changes");
        try (Admin admin = new TransportWorld(db, kafka).admin()) {
            assertThatThrownBy(() -> new TopicSetup(admin).ensure(new TopicSpec(name, 6, (short) 3, 2, Duration.ofDays(7), "delete")))
                    .hasMessageContaining("with 3 replicas: Kafka has 1 broker").hasMessageContaining("--kafka-replication-factor 1");
            assertThat(admin.listTopics().names().get()).doesNotContain(name);
        }
    }

    @Test
    void anExistingTopicIsComparedWithTheSettingsOneDifferenceAtATime() throws Exception {
        String name = SharedKafka.unique("changes");
        try (Admin admin = new TransportWorld(db, kafka).admin()) {
            TopicSetup setup = new TopicSetup(admin);
            setup.ensure(new TopicSpec(name, 4, (short) 1, 1, Duration.ofDays(3), "delete"));

            assertThat(setup.differences(new TopicSpec(name, 4, (short) 1, 1, Duration.ofDays(3), "delete"))).isEmpty();
            assertThat(setup.differences(new TopicSpec(name, 6, (short) 1, 1, Duration.ofDays(7), "delete"))).containsExactly(
                    "has 4 partitions, the settings say 6; left as it is (changing it would break per-object order)",
                    "retention.ms is 259200000, the settings say 604800000 (kafka-configs.sh --alter changes it)");
        }
    }
}
