package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.GeofaVersion;
import dk.geofasync.sandbox.geofa.Traffic;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code geofa-sync run --share-partitions} processes on one consumer group while staff make
 * 20,000 changes; every few seconds one of them is killed with SIGKILL and started again (systemd's
 * Restart=always) or stopped with SIGTERM and started again, and now and then one is frozen (SIGSTOP) past its Kafka session and thawed
 * again, so it wakes up in the middle of a batch of partitions Kafka has given to another. Afterwards GeoFA matches VK one to one, nothing was created twice, every object's
 * GeoFA versions follow VK's order of edits, and no calendar minute held more requests of the GeoFA
 * user than its budget, all instances together. In the cluster profile ({@code -Pcluster}).
 */
@Tag("cluster")
class SharedPartitionsTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final int INSTANCES = 3;
    static final int CHANGES = Integer.getInteger("shared.changes", 20_000);
    /** The GeoFA user's budget for all instances together: low enough that the instances must share it. */
    static final int REQUESTS_PER_MINUTE = 150;
    /** Longer than the instances' Kafka session (10 s): Kafka gives a frozen instance's partitions to another while it still holds their leases. */
    static final Duration FREEZE = Duration.ofSeconds(13);
    static final Duration KILL_EVERY = Duration.ofSeconds(4);
    static final String PREFIX = SharedKafka.unique("shared");
    static final List<String> EDITED = List.of("vk.facilitet_punkt", "vk.facilitet_flade", "vk.rute_linje");
    static final Pattern ROUND = Pattern.compile("^Runde (\\d+) ");
    /** When staff pause the applier for a while: some seconds into the edits, with faults going on around it. */
    static final int PAUSE_AT_ROUND = 24;
    static final String STAFF_PASSWORD = "a long enough password";

    @Test
    void threeInstancesShareThePartitionsAndOneKilledEveryFewSecondsLosesAndDuplicatesNothingInOrder(@TempDir Path secrets) throws Exception {
        // the instances' logs stay for whoever looks into a run (target/shared-partitions)
        Path dir = Files.createDirectories(Path.of("target", "shared-partitions", Long.toString(System.currentTimeMillis())));
        try (FakeGeofa fake = FakeGeofa.start(vk.config(), FakeGeofa.Settings.defaults())) {
            Sandbox.reset(vk.dataSource(), fake.database(), MAPPING, 1_500, Sandbox.DEFAULT_SEED);
            SyncSchema.migrate(vk.dataSource());
            new CaptureInstaller(vk.dataSource()).install(MAPPING);
            new Backfill(vk.dataSource(), 1_000).run(MAPPING, Optional.empty(), false);
            fake.resetTraffic();
            List<String> base = command(secrets, fake);
            List<Integer> ports = InstancePage.freePorts(INSTANCES);
            Process[] instances = new Process[INSTANCES];
            int[] starts = new int[INSTANCES];
            Map<Instant, Long> requestsPerMinute = new HashMap<>();
            Random random = new Random(20_000);
            int kills = 0;
            int freezes = 0;
            int faults = 0;
            int stops = 0;
            java.util.concurrent.ScheduledExecutorService thaw = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            long started = System.nanoTime();
            long pausedRequests = -1;
            try {
                for (int i = 0; i < INSTANCES; i++) {
                    instances[i] = start(base, ports.get(i), dir, i, ++starts[i]);
                }
                for (int i = 0; i < INSTANCES; i++) {
                    int port = ports.get(i);
                    Await.until("instance " + i + " shares the partitions", Duration.ofSeconds(60), () -> InstancePage.role(port).filter("shared"::equals).isPresent());
                }
                Await.until("the partitions are spread over the instances", Duration.ofSeconds(60),
                        () -> ports.stream().allMatch(p -> InstancePage.partitions(p).map(n -> n > 0).orElse(false)));
                try (org.apache.kafka.clients.admin.Admin admin = dk.geofasync.transport.kafka.KafkaConnection.plain(kafka.bootstrapServers())
                        .admin(Duration.ofSeconds(10))) {
                    var status = new dk.geofasync.app.status.StatusReader(vk.dataSource(), Optional.of(admin), PREFIX + "-applier", PREFIX + ".changes")
                            .read(0, 0);
                    assertThat(status.consumerLag()).as("status names the instance applying each partition")
                            .allMatch(p -> p.appliedBy().isPresent());
                    assertThat(status.consumerLag().stream().map(p -> p.appliedBy().orElseThrow()).distinct()).hasSize(INSTANCES);
                }

                long nextKill = System.nanoTime() + KILL_EVERY.toNanos();
                int round = 0;
                long requestsWhilePaused = -1;
                while (GeofaMatchesVk.count(vk, "select count(*) from sync.outbox") < CHANGES) {
                    staffEdit(++round, random);
                    if (round == PAUSE_AT_ROUND) {
                        long[] sent = new long[1];
                        round = pauseAWhile(round, random, sent, fake, ports, instances, base, dir, starts);
                        requestsWhilePaused = sent[0];
                    }
                    Thread.sleep(250); // pacing of the staff's edits, not a wait for a result
                    sample(fake, requestsPerMinute);
                    if (System.nanoTime() > nextKill) {
                        int which = random.nextInt(INSTANCES);
                        switch (++faults % 4) { // kill, kill, freeze, stop
                            case 2 -> freezes += freeze(instances[which], thaw);
                            case 3 -> stops += stop(instances[which]);
                            default -> kills += kill(instances, which);
                        }
                        nextKill = System.nanoTime() + KILL_EVERY.toNanos();
                    }
                    restartDead(instances, base, ports, dir, starts);
                }
                // the faults go on while the instances catch up, for a minute at most
                long killsEnd = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < killsEnd && !GeofaMatchesVk.caughtUp(vk, MAPPING)) {
                    Thread.sleep(KILL_EVERY.toMillis());
                    sample(fake, requestsPerMinute);
                    int which = random.nextInt(INSTANCES);
                    switch (++faults % 4) { // kill, kill, freeze, stop
                        case 2 -> freezes += freeze(instances[which], thaw);
                        case 3 -> stops += stop(instances[which]);
                        default -> kills += kill(instances, which);
                    }
                    restartDead(instances, base, ports, dir, starts);
                }
                long killsStopped = System.nanoTime();
                Await.until("the instances catch up", Duration.ofMinutes(6), () -> {
                    sample(fake, requestsPerMinute);
                    restartDead(instances, base, ports, dir, starts);
                    return GeofaMatchesVk.caughtUp(vk, MAPPING);
                });
                sample(fake, requestsPerMinute);
                pausedRequests = requestsWhilePaused;
                System.out.printf("SharedPartitionsTest: %,d changes, %d instances, %d SIGKILLs, %d freezes, %d SIGTERMs, %d s in all, caught up %d s after the last kill, "
                                + "%,d GeoFA requests, busiest minute %d (budget %d)%n", GeofaMatchesVk.count(vk, "select count(*) from sync.outbox"),
                        INSTANCES, kills, freezes, stops, (System.nanoTime() - started) / 1_000_000_000L, (System.nanoTime() - killsStopped) / 1_000_000_000L,
                        fake.traffic().requests(), requestsPerMinute.values().stream().mapToLong(Long::longValue).max().orElse(0), REQUESTS_PER_MINUTE);
            } finally {
                thaw.shutdownNow();
                for (Process p : instances) {
                    signal(p, "CONT");
                    if (p != null) {
                        p.destroy();
                        if (!p.waitFor(30, TimeUnit.SECONDS)) {
                            p.destroyForcibly().waitFor();
                        }
                    }
                }
            }
            assertThat(pausedRequests).as("GeoFA requests while staff's pause held every instance").isZero();
            // a frozen instance may take a pause the test gave up waiting for, once thawed (before the resume): recorded as well
            assertThat(GeofaMatchesVk.count(vk, "select count(distinct action) from sync.action where who = 'staff' and outcome = 'done' "
                    + "and action in ('applier-pause', 'applier-resume')")).as("the pause and the resume, recorded").isEqualTo(2);
            assertThat(GeofaMatchesVk.count(vk, "select count(*) from sync.applier_pause")).as("resumed at the end").isZero();
            assertThat(kills).as("instances killed during the run").isGreaterThanOrEqualTo(4);
            assertThat(freezes).as("instances frozen past their Kafka session during the run").isPositive();
            assertThat(stops).as("instances stopped and started again during the run").isPositive();
            assertThat(GeofaMatchesVk.count(vk, "select count(*) from sync.outbox")).as("changes made").isGreaterThanOrEqualTo(CHANGES);
            assertThat(GeofaMatchesVk.count(vk, "select count(*) from sync.dead_letter")).as("valid changes: no dead letter").isZero();
            GeofaMatchesVk.assertOneToOne(vk, fake, MAPPING); // 0 lost, 0 created twice
            for (TableMapping table : MAPPING.tables()) {
                assertVersionsFollowVksOrder(fake, table);
            }
            assertThat(requestsPerMinute.values()).as("GeoFA requests per calendar minute, all instances together").allMatch(n -> n <= REQUESTS_PER_MINUTE);
        }
    }

    /**
     * Each object's GeoFA versions, oldest first, carry the staff's rounds in increasing order: none
     * went back (order kept across rebalances) and none came twice (an update applied twice would
     * repeat its round).
     */
    private static void assertVersionsFollowVksOrder(FakeGeofa fake, TableMapping table) throws Exception {
        Map<UUID, List<GeofaVersion>> byObject = new HashMap<>();
        fake.versions(table.theme().name()).forEach(v -> byObject.computeIfAbsent(v.objektId(), k -> new ArrayList<>()).add(v));
        List<String> outOfOrder = new ArrayList<>();
        int checked = 0;
        for (var object : byObject.entrySet()) {
            List<GeofaVersion> versions = new ArrayList<>(object.getValue());
            versions.sort(Comparator.comparing(GeofaVersion::systidFra)
                    .thenComparing(v -> v.systidTil().orElse(OffsetDateTime.MAX)));
            List<Integer> rounds = versions.stream().map(v -> v.text("navn").map(ROUND::matcher).filter(Matcher::find)
                    .map(m -> Integer.parseInt(m.group(1))).orElse(0)).toList();
            for (int i = 1; i < rounds.size(); i++) {
                if (rounds.get(i) <= rounds.get(i - 1) && rounds.get(i) > 0) {
                    outOfOrder.add(object.getKey() + " " + rounds);
                    break;
                }
            }
            checked += rounds.size() > 1 ? 1 : 0;
        }
        if (EDITED.contains(table.table().toString())) {
            assertThat(checked).as(table.table() + ": objects edited more than once").isPositive();
        }
        assertThat(outOfOrder).as(table.table() + ": objects whose GeoFA versions do not follow VK's order of edits").isEmpty();
    }

    /** Staff at work: new rows, renamed rows (the round in the name), deleted rows. */
    private static void staffEdit(int round, Random random) {
        int base = 2_000_000 + round * 1_000;
        vk.execute("insert into vk.facilitet_punkt (id, facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, geom) select " + base
                + " + g, 1201, 9, 'Bænk ' || g, 3, 1, 7, st_setsrid(st_makepoint(550000 + g * 10, 6170000 + " + round + "), 25832) "
                + "from generate_series(1, 20) g");
        for (String table : EDITED) {
            vk.execute("update " + table + " set navn = 'Runde " + round + " ' || id where id in (select id from " + table
                    + " order by random() limit 150)");
        }
        vk.execute("delete from vk.facilitet_punkt where id in (select id from vk.facilitet_punkt order by random() limit 2)");
    }

    /** Keeps the highest count seen of each calendar minute (the fake holds the last two). */
    private static void sample(FakeGeofa fake, Map<Instant, Long> requestsPerMinute) {
        for (Traffic.Minute m : fake.traffic().minutes()) {
            requestsPerMinute.merge(m.start(), m.requests(), Math::max);
        }
    }

    private static int kill(Process[] instances, int which) throws Exception {
        if (instances[which] != null && instances[which].isAlive()) {
            instances[which].destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean close of its leases
            return 1;
        }
        return 0;
    }

    /** SIGTERM: the instance finishes its batch, lets go of its partitions and exits (systemd's stop; started again as after a deploy). */
    private static int stop(Process instance) throws Exception {
        if (instance == null || !instance.isAlive()) {
            return 0;
        }
        instance.destroy();
        if (!instance.waitFor(30, TimeUnit.SECONDS)) {
            instance.destroyForcibly().waitFor();
        }
        return 1;
    }

    /** SIGSTOP now, SIGCONT after {@link #FREEZE}: a long pause, as a stalled VM or a stop-the-world collection makes. */
    private static int freeze(Process instance, java.util.concurrent.ScheduledExecutorService thaw) {
        if (!signal(instance, "STOP")) {
            return 0;
        }
        thaw.schedule(() -> signal(instance, "CONT"), FREEZE.toMillis(), TimeUnit.MILLISECONDS);
        return 1;
    }

    private static boolean signal(Process p, String signal) {
        if (p == null || !p.isAlive()) {
            return false;
        }
        try {
            return new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Staff pause the applier through one instance's action while the edits go on, and resume it;
     * {@code sentWhilePaused} gets the GeoFA requests counted in a window after every frozen instance
     * has thawed (a freeze lasts 13 s). Returns the last round of edits.
     */
    private static int pauseAWhile(int round, Random random, long[] sentWhilePaused, FakeGeofa fake, List<Integer> ports, Process[] instances,
                                   List<String> base, Path dir, int[] starts) throws Exception {
        action(ports, "/actions/applier/pause?reason=test");
        long windowStart = System.nanoTime() + FREEZE.plusSeconds(2).toNanos();
        while (System.nanoTime() < windowStart) {
            staffEdit(++round, random);
            Thread.sleep(1_000); // pacing of the staff's edits (fewer while paused: they pile up on Kafka), not a wait for a result
            restartDead(instances, base, ports, dir, starts);
        }
        long before = fake.traffic().requests();
        Thread.sleep(5_000); // the window itself: a stretch of time in which nothing may be sent
        sentWhilePaused[0] = fake.traffic().requests() - before;
        action(ports, "/actions/applier/resume");
        return round;
    }

    /** POSTs an action as staff to the first instance that takes it (one may be down or frozen just now). */
    private static void action(List<Integer> ports, String path) throws Exception {
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString(("staff:" + STAFF_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Await.until(path + " taken by an instance", Duration.ofSeconds(60), () -> ports.stream().anyMatch(port -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path)).header("Authorization", auth)
                        .timeout(Duration.ofSeconds(3)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }));
    }

    private static void restartDead(Process[] instances, List<String> base, List<Integer> ports, Path dir, int[] starts) throws Exception {
        for (int i = 0; i < INSTANCES; i++) {
            if (!instances[i].isAlive()) {
                instances[i] = start(base, ports.get(i), dir, i, ++starts[i]);
            }
        }
    }

    private static Process start(List<String> base, int port, Path dir, int instance, int start) throws Exception {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of("--http-port", Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("instance-" + instance + "-" + start + ".log").toFile());
        pb.environment().put("GEOFA_SYNC_LOG_DIR", dir.resolve("logs-" + instance).toString());
        return pb.start();
    }

    private static List<String> command(Path dir, FakeGeofa fake) throws Exception {
        Path password = Files.writeString(dir.resolve("db-password"), vk.config().password().reveal());
        Path geofaPassword = Files.writeString(dir.resolve("geofa-password"), "sandbox");
        Path users = Files.writeString(dir.resolve("http-users"), "staff:" + STAFF_PASSWORD + "\n");
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), GeofaSync.class.getName(), "run", "--share-partitions",
                "--mapping", Path.of("../config/mapping-vk.yml").toAbsolutePath().toString(),
                "--db-url", vk.config().jdbcUrl(), "--db-user", vk.config().user(), "--db-password-file", password.toString(),
                "--kafka", kafka.bootstrapServers(), "--kafka-replication-factor", "1", "--kafka-prefix", PREFIX,
                "--geofa-url", fake.baseUrl().toString(), "--geofa-user", "kom630", "--geofa-password-file", geofaPassword.toString(),
                "--geofa-timeout", "2", "--geofa-requests-per-minute", Integer.toString(REQUESTS_PER_MINUTE), "--http-users-file", users.toString());
    }
}
