package dk.geofasync.bench;

import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.DataSources;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import dk.geofasync.transport.kafka.KafkaConnection;
import dk.geofasync.transport.relay.OutboxRelay;
import dk.geofasync.transport.relay.RelayConfig;
import dk.geofasync.transport.topic.TopicSetup;
import dk.geofasync.transport.topic.TopicSpec;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * geofa-sync's capture and relay side by side with Debezium (embedded, pgoutput) on the same table,
 * workload and Kafka, in paired rounds: 200,000 inserts, then 200,000 one-column updates, 1,000 rows
 * a transaction, timed from the start of the workload to the last event Kafka acknowledged (ours:
 * the last outbox row marked published, which happens after Kafka's acknowledgement; Debezium's: the
 * last send the producer saw acknowledged, with the same producer settings as our relay's). Also
 * prints how long the workload itself took to commit with each (Debezium reads the WAL and costs the
 * writer nothing). The figure is VK's changes per second (400,000 over the time until all of them
 * are in Kafka): Debezium sends one event per change, geofa-sync one per row per pump, so a row
 * inserted and updated between two pumps is one event with its latest values. Debezium needs {@code wal_level=logical}, so the benchmark makes a scratch
 * PostgreSQL cluster of its own with Debian's {@code pg_createcluster} (as root) and drops it at the end.
 * Run with {@code ./mvnw -B -ntp verify -Pbench -pl bench-debezium -am}.
 */
@Tag("bench")
class CaptureVersusDebeziumBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 200_000);
    private static final int PER_TRANSACTION = 1_000;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    private static final String PASSWORD = "geofa-sync-bench";

    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    @Test
    void captureAndRelayAgainstDebezium() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/pg_createcluster"))
                        && Files.isDirectory(Path.of("/usr/lib/postgresql/15")),
                "needs Debian's pg_createcluster and PostgreSQL 15, as root, for a scratch cluster with wal_level=logical");
        try (ScratchCluster cluster = ScratchCluster.create()) {
            DatabaseConfig config = DatabaseConfig.of(cluster.url(), "geofa_sync", Secret.of(PASSWORD));
            var vk = DataSources.pooled(config, "bench");
            try (vk) {
                Mapping all = SampleVk.vejleMapping();
                Mapping points = new Mapping(all.source(), List.of(all.table("vk.facilitet_punkt").orElseThrow()));
                new SampleVk(vk, points).reset(0, 630);
                SyncSchema.migrate(vk);
                List<double[]> ours = new ArrayList<>();
                List<double[]> theirs = new ArrayList<>();
                for (int round = 1; round <= ROUNDS; round++) {
                    double[] g = geofaSync(vk, points, cluster, round);
                    double[] d = debezium(vk, cluster, round);
                    ours.add(g);
                    theirs.add(d);
                    System.out.printf(Locale.ROOT, "BENCH capture vs Debezium round %d: geofa-sync %,.0f changes/s (workload committed in %.1f s), "
                            + "Debezium %,.0f changes/s (workload committed in %.1f s), ratio %.2f%n", round, g[0], g[1], d[0], d[1], g[0] / d[0]);
                }
                System.out.printf(Locale.ROOT, "BENCH capture vs Debezium, %,d inserts then %,d updates, %,d rows a transaction, %d rounds: "
                                + "geofa-sync median %,.0f changes/s, Debezium median %,.0f changes/s, ratio %.2f (target >= 1.5); workload commit "
                                + "median %.1f s with the triggers, %.1f s without%n", ROWS, ROWS, PER_TRANSACTION, ROUNDS, median(ours, 0), median(theirs, 0),
                        median(ours, 0) / median(theirs, 0), median(ours, 1), median(theirs, 1));
            }
        }
    }

    /** Triggers on, the relay running: returns {events/s to Kafka's acknowledgement, seconds the workload took to commit}. */
    private static double[] geofaSync(javax.sql.DataSource vk, Mapping points, ScratchCluster cluster, int round) throws Exception {
        cluster.execute("truncate vk.facilitet_punkt", "truncate sync.outbox", "truncate sync.captured_key", "vacuum analyze vk.facilitet_punkt", "checkpoint");
        new CaptureInstaller(vk).install(points);
        String topic = topic("ours-" + round);
        try (Producer<String, byte[]> producer = KafkaConnection.plain(kafka.bootstrapServers()).producer("geofa-sync-relay", Map.of());
             OutboxRelay relay = new OutboxRelay(vk, producer, RelayConfig.forMapping(points).withTopic(topic))) {
            relay.start();
            double start = cluster.now();
            double committed = workload(cluster) - start;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            // waiting: captured keys the pump has not taken, and outbox rows not yet published
            while (cluster.count("select coalesce(sum(pending), 0) from sync.outbox_pending") > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the relay did not publish everything in 10 minutes");
                }
                Thread.sleep(50);
            }
            // several changes of one row between two pumps become one event: the figure is VK's changes, all of them
            // in Kafka by the last acknowledgement, per second, as for Debezium (one event per change)
            long events = cluster.count("select count(*) from sync.outbox");
            double last = cluster.number("select extract(epoch from max(published_at)) from sync.outbox");
            System.out.printf(Locale.ROOT, "BENCH capture vs Debezium round %d: geofa-sync published %,d events for the %,d changes%n", round, events, 2L * ROWS);
            return new double[] {2.0 * ROWS / (last - start), committed};
        } finally {
            new CaptureInstaller(vk).uninstall();
        }
    }

    /** Debezium streaming from a slot of its own: returns {events/s to Kafka's acknowledgement, seconds the workload took to commit}. */
    private static double[] debezium(javax.sql.DataSource vk, ScratchCluster cluster, int round) throws Exception {
        cluster.execute("truncate vk.facilitet_punkt", "truncate sync.outbox", "vacuum analyze vk.facilitet_punkt", "checkpoint");
        String topic = topic("debezium-" + round);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong lastAckNanos = new AtomicLong();
        Properties p = new Properties();
        p.setProperty("name", "bench-" + round);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "60000");
        p.setProperty("database.hostname", "127.0.0.1");
        p.setProperty("database.port", Integer.toString(cluster.port()));
        p.setProperty("database.user", "geofa_sync");
        p.setProperty("database.password", PASSWORD);
        p.setProperty("database.dbname", "bench");
        p.setProperty("topic.prefix", "bench");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", "bench_" + round);
        p.setProperty("slot.drop.on.stop", "true");
        p.setProperty("publication.name", "bench_" + round);
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", "vk.facilitet_punkt");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("key.converter.schemas.enable", "false");
        p.setProperty("value.converter.schemas.enable", "false");
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Producer<String, byte[]> producer = KafkaConnection.plain(kafka.bootstrapServers()).producer("debezium-bench", Map.of());
             DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class).using(p)
                     .notifying((records, committer) -> {
                         for (ChangeEvent<String, String> r : records) {
                             if (r.value() != null) {
                                 producer.send(new ProducerRecord<>(topic, r.key(), r.value().getBytes(StandardCharsets.UTF_8)), (meta, e) -> {
                                     if (e == null) {
                                         acknowledged.incrementAndGet();
                                         lastAckNanos.set(System.nanoTime());
                                     }
                                 });
                             }
                             committer.markProcessed(r);
                         }
                         committer.markBatchFinished();
                     }).build()) {
            executor.execute(engine);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (cluster.count("select count(*) from pg_replication_slots where slot_name = 'bench_" + round + "' and active") == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Debezium did not start streaming in 2 minutes");
                }
                Thread.sleep(100);
            }
            Thread.sleep(2_000); // the slot is active a moment before the connector reads from it
            long startNanos = System.nanoTime();
            double start = cluster.now();
            double committed = workload(cluster) - start;
            long expected = 2L * ROWS;
            deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (acknowledged.get() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Debezium's events acknowledged: " + acknowledged.get() + " of " + expected + " after 10 minutes");
                }
                Thread.sleep(50);
            }
            return new double[] {expected / ((lastAckNanos.get() - startNanos) / 1e9), committed};
        } finally {
            executor.shutdown();
            executor.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    /** The staff's workload; returns when its last transaction committed (VK's clock, epoch seconds). */
    private static double workload(ScratchCluster cluster) throws Exception {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (int from = 1; from <= ROWS; from += PER_TRANSACTION) {
                s.execute("insert into vk.facilitet_punkt (id, facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, geom) select g, 1201, 9, "
                        + "'Bænk ' || g, 3, 1, 7, st_setsrid(st_makepoint(550000 + g % 1000 * 10, 6170000 + g / 1000 * 10), 25832) "
                        + "from generate_series(" + from + ", " + (from + PER_TRANSACTION - 1) + ") g");
            }
            for (int from = 1; from <= ROWS; from += PER_TRANSACTION) {
                s.execute("update vk.facilitet_punkt set navn = 'Bænk ' || id || ' renset' where id between " + from + " and " + (from + PER_TRANSACTION - 1));
            }
        }
        return cluster.now();
    }

    private static String topic(String name) throws Exception {
        String topic = SharedKafka.unique("bench-" + name);
        try (Admin admin = KafkaConnection.plain(kafka.bootstrapServers()).admin(Duration.ofSeconds(30))) {
            new TopicSetup(admin).ensure(new TopicSpec(topic, 6, (short) 1, 1, Duration.ofDays(1), "delete"));
        }
        return topic;
    }

    private static double median(List<double[]> rows, int column) {
        List<Double> sorted = rows.stream().map(r -> r[column]).sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A PostgreSQL cluster of this benchmark's own (Debian's tools), with wal_level=logical; dropped on close, and only it. */
    private record ScratchCluster(String name, int port) implements AutoCloseable {

        static ScratchCluster create() throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String name = "geofa_bench_" + ProcessHandle.current().pid();
            ScratchCluster cluster = new ScratchCluster(name, port);
            try {
                run("pg_createcluster", "15", name, "--port", Integer.toString(port), "-o", "wal_level=logical", "-o", "fsync=on",
                        "-o", "max_wal_size=4GB", "--start");
            } catch (Exception e) {
                cluster.close(); // made but not started (a port taken meanwhile): it is ours, by its name, and goes
                throw e;
            }
            try {
                run("su", "postgres", "-c", "psql -p " + port + " -c \"create role geofa_sync superuser login password '" + PASSWORD + "'\"");
                run("su", "postgres", "-c", "psql -p " + port + " -c \"create database bench owner geofa_sync\"");
                cluster.execute("create extension postgis", "create extension hstore");
                return cluster;
            } catch (Exception e) {
                cluster.close();
                throw e;
            }
        }

        String url() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/bench";
        }

        Connection connect() throws Exception {
            return DriverManager.getConnection(url(), "geofa_sync", PASSWORD);
        }

        void execute(String... statements) throws Exception {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        }

        long count(String sql) throws Exception {
            return (long) number(sql);
        }

        double number(String sql) throws Exception {
            try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getDouble(1);
            }
        }

        /** VK's clock, epoch seconds: what the outbox's published_at is compared with. */
        double now() throws Exception {
            return number("select extract(epoch from clock_timestamp())");
        }

        @Override
        public void close() {
            try {
                run("pg_dropcluster", "15", name, "--stop");
            } catch (Exception e) {
                System.out.println("BENCH: could not drop the scratch cluster " + name + ": " + e.getMessage());
            }
        }

        private static void run(String... command) throws Exception {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
            }
        }
    }
}
