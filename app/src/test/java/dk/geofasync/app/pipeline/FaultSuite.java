package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault suite ({@code ./mvnw -B -ntp verify -Pfaults -pl app -am}): 50 trials of about 10,000
 * changes each (a backfill of 2,900 objects and 7,000 staff edits) through {@code geofa-sync run},
 * with the service killed, VK's connections cut, PostgreSQL restarted and GeoFA failing at random
 * moments. Prints one line
 * per trial and the count of trials in which nothing was lost or duplicated.
 */
@Tag("faults")
class FaultSuite {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final PostgisDatabase geofa = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final int TRIALS = Integer.getInteger("faults.trials", 50);
    /** No new trial starts after this many minutes (0: no limit), so a session with a deadline still gets its figures. */
    static final int MINUTES = Integer.getInteger("faults.minutes", 0);

    @Test
    void fiftyTrialsUnderFaultsLoseAndDuplicateNothing() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "fault-suite"));
        List<String> failed = new ArrayList<>();
        int passed = 0;
        int ran = 0;
        long deadline = MINUTES == 0 ? Long.MAX_VALUE : System.nanoTime() + java.time.Duration.ofMinutes(MINUTES).toNanos();
        try (FakeGeofa fake = FakeGeofa.start(geofa.config(), FakeGeofa.Settings.defaults())) {
            boolean restarts = FaultTrial.canRestartPostgresql(vk);
            System.out.println("fault suite: PostgreSQL restarts " + (restarts ? "included" : "left out (the tests' PostgreSQL is not this "
                    + "machine's own cluster, or this is not root): VK's connections are cut instead"));
            FaultTrial trials = new FaultTrial(vk, geofa, fake, kafka, work, restarts);
            for (int t = 1; t <= TRIALS && System.nanoTime() < deadline; t++) {
                ran++;
                try {
                    System.out.println("fault suite: " + trials.run(t, 1_000, 7_000, 630L + t));
                    passed++;
                } catch (AssertionError | Exception e) {
                    failed.add("trial " + t + ": " + e.getMessage());
                    System.out.println("fault suite: trial " + t + " FAILED: " + e.getMessage() + " (logs: " + work.resolve("trial-" + t) + ")");
                }
            }
        }
        System.out.printf("fault suite: %d/%d trials with nothing lost or duplicated%s%n", passed, ran,
                ran < TRIALS ? " (the time budget of " + MINUTES + " min ended the suite after " + ran + " of " + TRIALS + ")" : "");
        assertThat(failed).isEmpty();
    }
}
