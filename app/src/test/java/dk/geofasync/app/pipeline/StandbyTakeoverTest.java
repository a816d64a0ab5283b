package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code geofa-sync run} processes for one consumer group: one applies, the other waits as a
 * standby; the active one is killed with SIGKILL and the standby takes over within 10 s, without
 * exiting, and applies what staff change next. In the cluster profile ({@code -Pcluster}).
 */
@Tag("cluster")
class StandbyTakeoverTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();

    @Test
    void standbyTakesOverWithinTenSecondsOfTheActiveInstanceBeingKilled(@TempDir Path dir) throws Exception {
        try (FakeGeofa fake = FakeGeofa.start(vk.config(), FakeGeofa.Settings.defaults())) {
            Sandbox.reset(vk.dataSource(), fake.database(), MAPPING, 5, Sandbox.DEFAULT_SEED);
            SyncSchema.migrate(vk.dataSource());
            new CaptureInstaller(vk.dataSource()).install(MAPPING);
            Path password = Files.writeString(dir.resolve("db-password"), vk.config().password().reveal());
            Path geofaPassword = Files.writeString(dir.resolve("geofa-password"), "sandbox");
            String prefix = SharedKafka.unique("standby");
            List<Process> processes = new ArrayList<>();
            List<Integer> ports = InstancePage.freePorts(2);
            try {
                for (int i = 0; i < 2; i++) {
                    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                            "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath(),
                            "-cp", System.getProperty("java.class.path"), GeofaSync.class.getName(), "run", "--http-port", Integer.toString(ports.get(i)),
                            "--mapping", Path.of("../config/mapping-vk.yml").toAbsolutePath().toString(),
                            "--db-url", vk.config().jdbcUrl(), "--db-user", vk.config().user(), "--db-password-file", password.toString(),
                            "--kafka", kafka.bootstrapServers(), "--kafka-replication-factor", "1", "--kafka-prefix", prefix,
                            "--geofa-url", fake.baseUrl().toString(), "--geofa-user", "kom630", "--geofa-password-file", geofaPassword.toString());
                    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("service-" + i + ".log").toFile());
                    pb.environment().put("GEOFA_SYNC_LOG_DIR", dir.toString());
                    processes.add(pb.start());
                    int port = ports.get(i);
                    // the first becomes active before the second starts, so which is which is known
                    Await.until("instance " + i + " serves its role", Duration.ofSeconds(60), () -> InstancePage.role(port).isPresent());
                }
                assertThat(InstancePage.role(ports.get(0))).hasValue("active");
                assertThat(InstancePage.role(ports.get(1))).hasValue("standby");

                long killed = System.nanoTime();
                processes.get(0).destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean close of the lease
                Await.until("the standby takes over", Duration.ofSeconds(10), () -> InstancePage.role(ports.get(1)).filter("active"::equals).isPresent());
                long tookMs = (System.nanoTime() - killed) / 1_000_000;
                System.out.printf("StandbyTakeoverTest: the standby was the active instance %d ms after the active one was killed%n", tookMs);
                assertThat(processes.get(1).isAlive()).as("took over without exiting").isTrue();

                vk.execute("insert into vk.facilitet_punkt (id, facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, geom) values "
                        + "(961, 1012, 9, 'Efter drabet', 3, 1, 7, 'SRID=25832;POINT(550000 6170000)')");
                Await.until("the new active instance applies", Duration.ofSeconds(60),
                        () -> GeofaMatchesVk.count(vk, "select count(*) from vk.facilitet_punkt where id = 961 and objekt_id is not null") == 1);
            } finally {
                for (Process p : processes) {
                    p.destroy();
                    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor();
                    }
                }
            }
        }
    }
}
