package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.LostResponse;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One trial of the fault suite: {@code geofa-sync run} (the service) in a child JVM while staff edit
 * VK, with faults at random moments: the service killed with SIGKILL (and started again, as systemd
 * would), every VK connection cut, PostgreSQL itself restarted (where the tests run on this
 * machine's own cluster), the Kafka broker stopped for a few seconds and started again (the tests'
 * in-process broker), and GeoFA failing (5xx, 429, hangs past the timeout, expired tokens,
 * answers lost after commit). Then the faults stop, the service catches up, and GeoFA must match VK
 * one to one with every change handled.
 */
final class FaultTrial {

    /** The faults a trial mixes in. */
    enum Fault { KILL_SERVICE, CUT_VK_CONNECTIONS, RESTART_POSTGRESQL, RESTART_KAFKA, GEOFA_5XX, GEOFA_429, GEOFA_HANG, GEOFA_TOKENS_EXPIRE,
        GEOFA_ANSWER_LOST }

    /** What a trial did and found. */
    record Outcome(int trial, long changes, int objects, Map<Fault, Integer> faults, Duration took, Duration catchUp, long requests) {
        @Override
        public String toString() {
            return String.format("trial %2d: %,6d changes, %,5d objects 1:1 in GeoFA, faults %s, %d s (catch-up after the last fault %d s), "
                            + "%,d GeoFA requests, nothing lost or duplicated",
                    trial, changes, objects, faults, took.toSeconds(), catchUp.toSeconds(), requests);
        }
    }

    /** The service's GeoFA request budget a minute in the trials (GeoFA's own default less the editors' share unless set). */
    static final int REQUESTS_PER_MINUTE = Integer.getInteger("faults.requestsPerMinute", 110);

    static final Mapping MAPPING = SampleVk.vejleMapping();

    private final PostgisDatabase vk;
    private final PostgisDatabase geofaDb;
    private final FakeGeofa fake;
    private final SharedKafka kafka;
    private final Path work;
    private final boolean restartPostgresql;

    /** @param restartPostgresql whether PostgreSQL may be restarted (the whole local cluster: the fault suite only) */
    FaultTrial(PostgisDatabase vk, PostgisDatabase geofaDb, FakeGeofa fake, SharedKafka kafka, Path work, boolean restartPostgresql) {
        this.vk = vk;
        this.geofaDb = geofaDb;
        this.fake = fake;
        this.kafka = kafka;
        this.work = work;
        this.restartPostgresql = restartPostgresql;
    }

    /** Whether this machine's own PostgreSQL cluster holds the test databases and may be restarted by this process. */
    static boolean canRestartPostgresql(PostgisDatabase vk) {
        String url = vk.config().jdbcUrl();
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster"))
                && cluster(url).isPresent();
    }

    /**
     * The Debian cluster (version, name) serving the URL's port, from pg_lsclusters: the one to
     * restart, never another cluster of this machine (a second one may serve other work).
     */
    static Optional<List<String>> cluster(String jdbcUrl) {
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("//(?:localhost|127\\.0\\.0\\.1)(?::(\\d+))?/").matcher(jdbcUrl);
        if (!url.find()) {
            return Optional.empty();
        }
        String port = url.group(1) != null ? url.group(1) : "5432"; // PostgreSQL's default
        try {
            Process list = new ProcessBuilder("pg_lsclusters", "-h").redirectErrorStream(true).start();
            String out = new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            list.waitFor(30, TimeUnit.SECONDS);
            return out.lines().map(l -> List.of(l.trim().split("\\s+"))).filter(f -> f.size() >= 3 && f.get(2).equals(port))
                    .map(f -> List.of(f.get(0), f.get(1))).findFirst();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * @param perTable sample objects per VK table (about 97% of them are backfilled as creates)
     * @param changes staff changes to make while the faults go on (inserts, updates, deletes)
     */
    Outcome run(int trial, int perTable, int changes, long seed) throws Exception {
        long started = System.nanoTime();
        Random random = new Random(seed);
        fake.faults().clear();
        Sandbox.reset(vk.dataSource(), fake.database(), MAPPING, perTable, seed);
        fake.resetTraffic();
        SyncSchema.migrate(vk.dataSource());
        new CaptureInstaller(vk.dataSource()).install(MAPPING);
        new Backfill(vk.dataSource(), 1_000).run(MAPPING, Optional.empty(), false);

        Path dir = Files.createDirectories(work.resolve("trial-" + trial));
        List<String> command = command(dir, SharedKafka.unique("faults"));
        Map<Fault, Integer> done = new EnumMap<>(Fault.class);
        long faultsEnded = 0;
        long caughtUpAt = 0;
        Service service = new Service(command, dir);
        try {
            service.start();
            // every kind of fault at least twice, in a random order: 14 rounds or more
            int rounds = Math.max(2 * Fault.values().length, changes / 250);
            List<Fault> order = new ArrayList<>(List.of(Fault.values()));
            if (!restartPostgresql) {
                order.remove(Fault.RESTART_POSTGRESQL);
            }
            if (!kafka.canRestartBroker()) {
                order.remove(Fault.RESTART_KAFKA); // a container's or someone else's broker
            }
            java.util.Collections.shuffle(order, random);
            int made = 0;
            for (int round = 0; made < changes; round++) {
                made += staffEdit(round, random, Math.min(Math.max(10, changes / rounds), changes - made));
                Fault fault = order.get(round % order.size());
                inject(fault, service, random);
                done.merge(fault, 1, Integer::sum);
                Thread.sleep(random.nextInt(400)); // pacing of the staff's edits, not a wait for a result
                if (round % 4 == 3) {
                    fake.faults().clear();
                }
            }
            fake.faults().clear();
            faultsEnded = System.nanoTime();
            service.ensureRunning();
            Await.holdsWithin(Duration.ofMinutes(5), () -> {
                service.ensureRunning();
                return GeofaMatchesVk.caughtUp(vk, MAPPING);
            });
            caughtUpAt = System.nanoTime();
        } finally {
            service.stop();
        }
        long captured = GeofaMatchesVk.count(vk, "select count(*) from sync.outbox");
        int objects;
        try {
            assertThat(GeofaMatchesVk.count(vk, "select count(*) from sync.dead_letter")).as("valid changes: no dead letter").isZero();
            objects = GeofaMatchesVk.assertOneToOne(vk, fake, MAPPING);
        } catch (AssertionError e) {
            keepEvidence(dir);
            throw e;
        }
        long now = System.nanoTime();
        return new Outcome(trial, captured, objects, done, Duration.ofNanos(now - started), Duration.ofNanos(caughtUpAt - faultsEnded), fake.traffic().requests());
    }

    /** Both databases as they were when the trial failed, next to the services' logs, for whoever looks into it. */
    private void keepEvidence(Path dir) {
        for (var db : List.of(Map.entry("vk", vk.config()), Map.entry("geofa", geofaDb.config()))) {
            try {
                var config = db.getValue();
                String url = config.jdbcUrl().substring("jdbc:".length());
                ProcessBuilder dump = new ProcessBuilder("pg_dump", "--dbname=" + url, "--username=" + config.user(), "--no-owner",
                        "--file=" + dir.resolve(db.getKey() + ".sql")).redirectErrorStream(true);
                dump.environment().put("PGPASSWORD", config.password().reveal());
                dump.start().waitFor(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("fault trial: could not keep " + db.getKey() + " for later: " + e.getMessage());
            }
        }
    }

    private void inject(Fault fault, Service service, Random random) throws Exception {
        switch (fault) {
            case KILL_SERVICE -> service.kill();
            case CUT_VK_CONNECTIONS -> vk.execute("select pg_terminate_backend(pid) from pg_stat_activity "
                    + "where datname = current_database() and pid <> pg_backend_pid()");
            case RESTART_POSTGRESQL -> restartPostgresql();
            case RESTART_KAFKA -> kafka.restartBroker(Duration.ofSeconds(1 + random.nextInt(4)));
            case GEOFA_5XX -> fake.faults().failNext(1 + random.nextInt(3), random.nextBoolean() ? 500 : 503);
            case GEOFA_429 -> fake.faults().throttleNext(1 + random.nextInt(3), Duration.ofSeconds(1));
            case GEOFA_HANG -> fake.faults().hangNext(1, Duration.ofSeconds(3));
            case GEOFA_TOKENS_EXPIRE -> fake.faults().expireTokens();
            case GEOFA_ANSWER_LOST -> fake.faults().loseResponseAfterCommit(1 + random.nextInt(2),
                    LostResponse.values()[random.nextInt(LostResponse.values().length)]);
        }
        service.ensureRunning(); // systemd's Restart=always
    }

    /** A fast restart of the local cluster: every session ends, VK's and the fake GeoFA's alike, and PostgreSQL comes back. */
    private void restartPostgresql() throws Exception {
        List<String> cluster = cluster(vk.config().jdbcUrl()).orElseThrow();
        Process restart = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", cluster.get(0), cluster.get(1), "restart", "-m", "fast")
                .redirectErrorStream(true).start();
        assertThat(restart.waitFor(120, TimeUnit.SECONDS)).as("PostgreSQL restarted").isTrue();
        assertThat(restart.exitValue()).as(new String(restart.getInputStream().readAllBytes())).isZero();
    }

    /** Staff at work: new rows, renamed rows, deleted rows, across the three tables; returns the changes made. */
    private int staffEdit(int round, Random random, int budget) {
        int inserts = Math.max(1, budget / 10);
        int base = 1_000_000 + round * 1_000;
        vk.execute("insert into vk.facilitet_punkt (id, facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, geom) select " + base
                + " + g, 1201, 9, 'Bænk ' || g, 3, 1, 7, st_setsrid(st_makepoint(550000 + g * 10, 6170000 + " + round + "), 25832) "
                + "from generate_series(1, " + inserts + ") g");
        int updates = budget - inserts - 1;
        String table = List.of("vk.facilitet_punkt", "vk.facilitet_flade", "vk.rute_linje").get(random.nextInt(3));
        vk.execute("update " + table + " set navn = 'Runde " + round + " ' || id where id in (select id from " + table
                + " order by random() limit " + Math.max(0, updates) + ")");
        vk.execute("delete from vk.facilitet_punkt where id = (select id from vk.facilitet_punkt order by random() limit 1)");
        return budget;
    }

    private List<String> command(Path dir, String prefix) throws Exception {
        Path password = Files.writeString(dir.resolve("db-password"), vk.config().password().reveal());
        Path geofaPassword = Files.writeString(dir.resolve("geofa-password"), "sandbox");
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                // the production logging (a file per trial, INFO), not the tests' console-only setup
                "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), GeofaSync.class.getName(), "run", "--http-port", "0",
                "--mapping", Path.of("../config/mapping-vk.yml").toAbsolutePath().toString(),
                "--db-url", vk.config().jdbcUrl(), "--db-user", vk.config().user(), "--db-password-file", password.toAbsolutePath().toString(),
                "--kafka", kafka.bootstrapServers(), "--kafka-replication-factor", "1", "--kafka-prefix", prefix,
                "--geofa-url", fake.baseUrl().toString(), "--geofa-user", "kom630", "--geofa-password-file", geofaPassword.toAbsolutePath().toString(),
                "--geofa-timeout", "2", "--geofa-requests-per-minute", Integer.toString(REQUESTS_PER_MINUTE));
    }

    /** The service in a child JVM, started again whenever it is not running (as systemd's Restart=always does). */
    private static final class Service {
        private final List<String> command;
        private final Path dir;
        private Process process;
        private int starts;

        Service(List<String> command, Path dir) {
            this.command = command;
            this.dir = dir;
        }

        void start() throws Exception {
            starts++;
            ProcessBuilder service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("service-" + starts + ".log").toFile());
            service.environment().put("GEOFA_SYNC_LOG_DIR", dir.toAbsolutePath().toString());
            process = service.start();
        }

        void ensureRunning() throws Exception {
            if (process == null || !process.isAlive()) {
                start();
            }
        }

        void kill() throws Exception {
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean close
            }
        }

        void stop() throws Exception {
            if (process != null && process.isAlive()) {
                process.destroy(); // SIGTERM: the service finishes its batch and closes its run
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
