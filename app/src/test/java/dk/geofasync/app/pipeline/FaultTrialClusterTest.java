package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The fault suite restarts the PostgreSQL cluster that serves its database, and no other of the machine. */
class FaultTrialClusterTest {

    @Test
    void theClusterRestartedIsTheOneOnTheDatabasesPort() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/pg_lsclusters")), "Debian's pg_lsclusters");

        assertThat(FaultTrial.cluster("jdbc:postgresql://localhost:1/nothing")).as("no cluster on port 1").isEmpty();
        assertThat(FaultTrial.cluster("jdbc:postgresql://db.example:5432/vk")).as("not this machine").isEmpty();
        // scripts/postgis-up.sh's cluster on the default port, where there is one: named the same with or without the port
        assertThat(FaultTrial.cluster("jdbc:postgresql://localhost/postgres")).isEqualTo(FaultTrial.cluster("jdbc:postgresql://127.0.0.1:5432/postgres"));
    }
}
