package dk.geofasync.transport.topic;

import static org.assertj.core.api.Assertions.assertThat;

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

            assertThat(setup.ensure(new TopicSpec(name, 4, (short) 1, Duration.ofDays(3), "delete"))).isTrue();
            assertThat(setup.ensure(new TopicSpec(name, 8, (short) 1, Duration.ofDays(3), "delete"))).isFalse();

            assertThat(admin.describeTopics(Set.of(name)).allTopicNames().get().get(name).partitions()).hasSize(4);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(3).toMillis()));
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        }
    }
}
