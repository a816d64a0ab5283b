package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fault suite's short form in the normal test run: one small trial (see {@link FaultSuite} for the 50). */
class FaultTrialTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final PostgisDatabase geofa = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    @Test
    void serviceKilledVkCutAndGeofaFailingLeavesGeofaOneToOneWithVk() throws Exception {
        try (FakeGeofa fake = FakeGeofa.start(geofa.config(), FakeGeofa.Settings.defaults())) {
            FaultTrial.Outcome outcome = new FaultTrial(vk, geofa, fake, kafka, Files.createDirectories(Path.of("target", "fault-trial")), false)
                    .run(1, 150, 1_200, 630);
            System.out.println("fault trial: " + outcome);
            assertThat(outcome.faults().values().stream().mapToInt(Integer::intValue).sum()).isPositive();
        }
    }
}
