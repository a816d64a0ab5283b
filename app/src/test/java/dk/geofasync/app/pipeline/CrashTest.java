package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code geofa-sync once} in a child JVM, killed with SIGKILL at random moments while it works
 * through a backfill of 5,000 objects (and staff keep editing between runs), then run to the end:
 * GeoFA must hold exactly one current object per VK row, with VK's values, no correlation key
 * twice, and every VK row its objekt_id. Everything a restart needs is in VK (sync.object_link,
 * sync.inbox) and in Kafka's committed offsets.
 */
class CrashTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final int PER_TABLE = 1_000; // 5,000 objects over the five sample tables
    /** Kills in the normal run; {@code -Dcrash.kills=N} for more (each costs about 15 s of the 15-minute test budget). */
    static final int KILLS = Integer.getInteger("crash.kills", 3);

    @Test
    void killedAtRandomMomentsThenRestartedLeavesGeofaOneToOneWithVk() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "crash-test"));
        Path password = Files.writeString(work.resolve("db-password"), db.config().password().reveal());
        Path geofaPassword = Files.writeString(work.resolve("geofa-password"), "sandbox");
        // crash safety is the subject here, not the request budget (GeofaBudgetTest, OnceConvergesTest): without a limit, the
        // events a kill left unfinished, which each go alone as state, do not stretch the test over minutes of budget
        try (FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults().withRateLimit(0))) {
            Sandbox.reset(db.dataSource(), fake.database(), MAPPING, PER_TABLE, Sandbox.DEFAULT_SEED);
            SyncSchema.migrate(db.dataSource());
            new CaptureInstaller(db.dataSource()).install(MAPPING);
            long enqueued = new Backfill(db.dataSource(), 1_000).run(MAPPING, Optional.empty(), false).values().stream().mapToLong(Long::longValue).sum();
            assertThat(enqueued).isGreaterThan(4_800);
            fake.faults().latency(Duration.ofMillis(20));

            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                    "-cp", System.getProperty("java.class.path"), GeofaSync.class.getName(), "once",
                    "--mapping", Path.of("../config/mapping-vk.yml").toAbsolutePath().toString(),
                    "--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(), "--db-password-file", password.toAbsolutePath().toString(),
                    "--kafka", kafka.bootstrapServers(), "--kafka-replication-factor", "1", "--kafka-prefix", SharedKafka.unique("crash"),
                    "--geofa-url", fake.baseUrl().toString(), "--geofa-user", "kom630", "--geofa-password-file", geofaPassword.toAbsolutePath().toString(),
                    // a killed run's unanswered creates are sent anew only after twice this: keeps the restarts quick
                    "--geofa-timeout", "2",
                    // small requests, so that a run takes long enough to be killed in the middle of its work (2,000 a request would
                    // finish the backfill in three requests)
                    "--geofa-rows-per-request", "100", "--geofa-requests-per-minute", "0");
            Random random = new Random(630);
            int kills = 0;
            for (int attempt = 1; kills < KILLS; attempt++) {
                assertThat(attempt).as("the child kept finishing before it could be killed").isLessThan(3 * KILLS);
                staffEdit(attempt);
                long before = progress();
                Process child = start(command, work.resolve("child-" + attempt + ".log").toFile());
                // the JVM takes a while to start: wait until it works, then kill it at a random moment of that work
                Await.holdsWithin(Duration.ofSeconds(60), () -> !child.isAlive() || progress() != before);
                boolean exited = child.waitFor(random.nextInt(1_000), TimeUnit.MILLISECONDS);
                if (!exited) {
                    child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean close
                    kills++;
                    System.out.printf("crash test: killed run %d at progress %,d (started at %,d)%n", attempt, progress(), before);
                }
            }
            fake.faults().clear();
            Process last = start(command, work.resolve("child-last.log").toFile());
            assertThat(last.waitFor(180, TimeUnit.SECONDS)).as("the last run finishes").isTrue();
            assertThat(last.exitValue()).as("see " + work.resolve("child-last.log")).isEqualTo(GeofaSync.OK);

            GeofaMatchesVk.assertOneToOne(db, fake, MAPPING);
        }
    }

    /** Objects linked so far: grows while the applier creates (the relay and the start of a JVM come before). */
    private static long progress() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select count(*) from sync.object_link where state = 'linked'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** What staff do between runs: new rows, changed names, deleted rows; some caught mid-flight by the next kill. */
    private static void staffEdit(int round) {
        int base = 100_000 + round * 100;
        db.execute("insert into vk.facilitet_punkt (id, facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, geom) "
                + "select " + base + " + g, 1201, 9, 'Bænk ' || g, 3, 1, 7, st_setsrid(st_makepoint(550000 + g * 10, 6170000 + " + round + "), 25832) "
                + "from generate_series(1, 20) g");
        db.execute("update vk.facilitet_punkt set navn = 'Omdøbt i runde " + round + "' where id % 97 = " + round);
        db.execute("delete from vk.facilitet_punkt where id = " + (base - 100 + 5));
    }

    private static Process start(List<String> command, File log) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }
}
