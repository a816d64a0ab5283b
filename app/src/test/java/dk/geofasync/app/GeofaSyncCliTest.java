package dk.geofasync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.sandbox.SandboxMark;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.vk.SampleVk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GeofaSyncCliTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    @BeforeAll
    static void sandbox() {
        SandboxMark.claim(db.dataSource()); // the tests load sample VK tables here, in whatever order they run
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = GeofaSync.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("geofa-sync", "migrate", "check-mapping", "Exit codes");
    }

    @Test
    void checkMappingAcceptsTheShippedMapping() {
        assertThat(run("check-mapping", "--mapping", "../config/mapping-vk.yml")).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("is valid: 5 table(s)", "vk.facilitet_punkt", "t_5802_fac_li", "t_5710_born_skole_dis");
    }

    @Test
    void checkMappingReportsProblemsWithExitCodeOne(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "tables:\n  - table: vk.x\n    theme: t_5800_fac_pkt\n    objekt_id: objekt_id\n    columns: { geom: geometri }\n");

        assertThat(run("check-mapping", "--mapping", bad.toString())).isEqualTo(GeofaSync.PROBLEMS);
        assertThat(err.toString()).contains("table vk.x: key 'key' is missing");
    }

    @Test
    void migrateCreatesTheSyncSchemaWithThePasswordFromAFile(@TempDir Path dir) throws Exception {
        Path passwordFile = dir.resolve("pw");
        Files.writeString(passwordFile, db.config().password().reveal() + "\n");
        String[] args = {"migrate", "--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(),
                "--db-password-file", passwordFile.toString()};

        db.execute("drop schema if exists sync cascade");

        assertThat(run(args)).as(err.toString()).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("migrated from none to ");
        assertThat(run(args)).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("already at version ");
    }

    @Test
    void migrateWithoutDatabaseSaysWhichSettingIsMissing() {
        assertThat(run("migrate", "--db-url", "")).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("give --db-url or set GEOFA_SYNC_DB_URL");
    }

    @Test
    void configFileGivesTheSettingsAndTheCommandLineWins(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), db.config().password().reveal());
        Path config = Files.writeString(dir.resolve("geofa-sync.yml"), "db:\n  url: " + db.config().jdbcUrl() + "\n  user: " + db.config().user()
                + "\n  password-file: " + password + "\n");

        assertThat(run("migrate", "--config", config.toString())).as(err.toString()).isEqualTo(GeofaSync.OK);
        assertThat(run("--config", config.toString(), "migrate", "--db-url", "jdbc:postgresql://127.0.0.1:1/none"))
                .as("the command line wins").isEqualTo(GeofaSync.COULD_NOT_RUN);
    }

    @Test
    void configFileWithAnUnknownSettingOrASecretStopsWithItsName(@TempDir Path dir) throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yml"), "geofa:\n  ulr: https://geofa.geodanmark.dk\n");
        assertThat(run("migrate", "--config", typo.toString())).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("config file " + typo + ": unknown setting geofa-ulr");

        Path secret = Files.writeString(dir.resolve("secret.yml"), "geofa:\n  password: hemmelig\n");
        assertThat(run("status", "--config", secret.toString())).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("setting geofa-password: secrets are not kept in the config file").doesNotContain("hemmelig");

        assertThat(run("migrate", "--config", dir.resolve("missing.yml").toString())).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("config file " + dir.resolve("missing.yml"));
    }

    @Test
    void runWithAWrongSettingStopsBeforeStartingAndNamesIt() {
        assertThat(run("run", "--http-port", "70000", "--mapping", "../config/mapping-vk.yml", "--db-url", db.config().jdbcUrl(),
                "--db-user", db.config().user(), "--kafka", "127.0.0.1:1", "--geofa-user", "kom630")).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("--http-port must be 0-65535, got 70000");
        assertThat(run("run", "--kafka-prefix", "a b", "--mapping", "../config/mapping-vk.yml")).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("geofa-sync run:");
    }

    @Test
    void aKafkaPropertiesFileWithAPasswordInClearStopsTheRunNamingTheSettingNotThePassword(@TempDir Path dir) throws Exception {
        Path properties = Files.writeString(dir.resolve("kafka.properties"), "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"vejle\" password=\"Hemmelig-7\";\n");

        assertThat(run("once", "--mapping", "../config/mapping-vk.yml", "--kafka", "127.0.0.1:1", "--kafka-properties", properties.toString(),
                "--geofa-user", "kom630")).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("sasl.jaas.config holds a password in clear").doesNotContain("Hemmelig");
        assertThat(run("run", "--mapping", "../config/mapping-vk.yml", "--kafka", "127.0.0.1:1", "--kafka-replication-factor", "2",
                "--kafka-min-insync-replicas", "3", "--geofa-user", "kom630")).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("min.insync.replicas must be between 1 and the replication factor (2), got 3");
    }

    @Test
    void mistypedOptionsValueIsNotRepeated() {
        assertThat(run("once", "--geofa-pasword", "hemmelig-123")).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("--geofa-pasword").doesNotContain("hemmelig-123");
        assertThat(run("once", "--db-pasword=hemmelig-456")).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("--db-pasword").doesNotContain("hemmelig-456");
    }

    @Test
    void plainHttpGeofaElsewhereIsRefused() {
        assertThat(run("once", "--geofa-url", "http://geofa.example.dk", "--geofa-user", "kom630", "--mapping", "../config/mapping-vk.yml"))
                .isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("--geofa-url must be an https:// URL");
    }

    @Test
    void passwordInTheUrlIsRefused() {
        assertThat(run("migrate", "--db-url", "jdbc:postgresql://h/vk?password=hemmelig", "--db-user", "u"))
                .isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("must not hold the password").doesNotContain("hemmelig");
    }

    @Test
    void captureCommandsInstallBackfillAndUninstall(@TempDir Path dir) throws Exception {
        Path passwordFile = dir.resolve("pw");
        Files.writeString(passwordFile, db.config().password().reveal());
        String[] database = {"--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(), "--db-password-file", passwordFile.toString()};
        new SampleVk(db.dataSource(), SampleVk.vejleMapping()).reset(40, 630);
        assertThat(run(concat(new String[] {"migrate"}, database))).isEqualTo(GeofaSync.OK);

        assertThat(run(concat(new String[] {"install-triggers", "--mapping", "../config/mapping-vk.yml"}, database)))
                .as(err.toString()).isEqualTo(GeofaSync.OK);
        assertThat(run(concat(new String[] {"backfill", "--mapping", "../config/mapping-vk.yml", "--table", "vk.rute_linje", "--all"},
                database))).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("capture triggers installed on vk.facilitet_punkt, vk.facilitet_flade, vk.rute_linje, vk.ladefacilitet, vk.skoledistrikt",
                "backfill vk.rute_linje", "40 rows enqueued");
        assertThat(run(concat(new String[] {"uninstall-triggers"}, database))).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("capture triggers removed from");
    }

    @Test
    void replayMovesAStoppedGroupAndRefusesBadArguments(@TempDir Path dir) throws Exception {
        String topic = dk.geofasync.sandbox.junit.SharedKafka.unique("changes");
        String group = dk.geofasync.sandbox.junit.SharedKafka.unique("applier");
        String bootstrap = dk.geofasync.sandbox.kafka.KafkaBroker.shared().bootstrapServers();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 2, (short) 1))).all().get();
        }

        dk.geofasync.db.SyncSchema.migrate(db.dataSource());
        Path passwordFile = Files.writeString(dir.resolve("pw"), db.config().password().reveal());
        String[] database = {"--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(), "--db-password-file", passwordFile.toString()};

        assertThat(run(concat(new String[] {"replay", "--group", group, "--topic", topic, "--from-offset", "0", "--kafka", bootstrap}, database)))
                .as(err.toString()).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("consumer group " + group + " moved on " + topic, "partition 0 -> offset 0", "partition 1 -> offset 0");
        try (java.sql.Connection c = db.connect(); java.sql.ResultSet rs = c.createStatement()
                .executeQuery("select count(*) from sync.replay where consumer_group = '" + group + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("recorded for the applier").isEqualTo(2);
        }
        assertThat(run("replay", "--group", group, "--topic", topic, "--from-time", "yesterday", "--kafka", bootstrap))
                .isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("--from-time must be an ISO time");
        assertThat(run("replay", "--group", group, "--from-offset", "0")).isEqualTo(GeofaSync.COULD_NOT_RUN);
    }

    @Test
    void onceSyncsWhatIsPendingRecordsTheRunAndSignalsDeadLetters(@TempDir Path dir) throws Exception {
        Path password = dir.resolve("pw");
        Files.writeString(password, db.config().password().reveal());
        Path geofaPassword = dir.resolve("geofa");
        Files.writeString(geofaPassword, "sandbox\n");
        String[] database = {"--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(), "--db-password-file", password.toString()};
        String[] once;
        int geofaPort;
        try (dk.geofasync.sandbox.geofa.FakeGeofa fake = dk.geofasync.sandbox.geofa.FakeGeofa.start(db.config(),
                dk.geofasync.sandbox.geofa.FakeGeofa.Settings.defaults())) {
            new SampleVk(db.dataSource(), SampleVk.vejleMapping()).reset(15, 630);
            fake.database().reset(); // nothing in GeoFA yet: every VK row is new
            db.execute("update vk.facilitet_punkt set objekt_id = null; update vk.facilitet_flade set objekt_id = null; "
                    + "update vk.rute_linje set objekt_id = null; update vk.ladefacilitet set objekt_id = null; "
                    + "update vk.skoledistrikt set objekt_id = null");
            assertThat(run(concat(new String[] {"migrate"}, database))).isZero();
            assertThat(run(concat(new String[] {"install-triggers", "--mapping", "../config/mapping-vk.yml"}, database))).isZero();
            assertThat(run(concat(new String[] {"backfill", "--mapping", "../config/mapping-vk.yml"}, database))).isZero();
            geofaPort = fake.baseUrl().getPort();
            once = concat(new String[] {"once", "--mapping", "../config/mapping-vk.yml", "--kafka",
                dk.geofasync.sandbox.kafka.KafkaBroker.shared().bootstrapServers(), "--kafka-replication-factor", "1", "--geofa-url", fake.baseUrl().toString(),
                "--geofa-user", "kom630", "--geofa-password-file", geofaPassword.toString(), "--geofa-retry-wait", "20"}, database);

            assertThat(run(once)).as(err.toString()).isEqualTo(GeofaSync.OK);
            assertThat(out.toString()).contains("created 75, updated 0, deleted 0, skipped 0, dead letters 0");

            db.execute("update vk.facilitet_punkt set off_kode = 99 where id = 1");
            assertThat(run(once)).isEqualTo(GeofaSync.PROBLEMS);
            assertThat(out.toString()).contains("dead letters 1");

            String bootstrap = dk.geofasync.sandbox.kafka.KafkaBroker.shared().bootstrapServers();
            assertThat(run(concat(new String[] {"status", "--kafka", bootstrap}, database))).as("an open dead letter needs a person")
                    .isEqualTo(GeofaSync.PROBLEMS);
            assertThat(out.toString()).contains("outbox pending:    0 (the relay keeps up)", "consumer lag:      0 events",
                    "dead letters open: 1", "off_kode = 99 is not a value", "last good run:     #", "last failed run:   none");
            out.getBuffer().setLength(0);
            assertThat(run(concat(new String[] {"status", "--json", "--kafka", bootstrap}, database))).isEqualTo(GeofaSync.PROBLEMS);
            com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
            assertThat(status.path("dead_letters_open").asInt()).isEqualTo(1);
            assertThat(status.path("consumer_lag").asInt()).isZero();
            assertThat(status.at("/last_succeeded_run/created").asInt()).isEqualTo(75);
            out.getBuffer().setLength(0);
            assertThat(run(concat(new String[] {"runs", "--json"}, database))).isZero();
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString()).findValuesAsText("outcome"))
                    .containsExactly("partial", "succeeded");
            assertThat(run(concat(new String[] {"runs"}, database))).isZero();
            assertThat(out.toString()).contains("RUN    KIND", "partial", "change(s) went to dead letters");
            assertThat(run(concat(new String[] {"purge", "--days", "30"}, database))).isZero();
            assertThat(out.toString()).contains("purged older than 30 days / beyond 1000 runs: 0 change-log rows, 0 runs");

            assertThat(run(concat(new String[] {"status", "--kafka", "127.0.0.1:1"}, database))).isEqualTo(GeofaSync.PROBLEMS);
            assertThat(out.toString()).contains("consumer lag:      unknown: Kafka out of reach");
            // a properties file geofa-sync refuses: VK's part is reported all the same, Kafka's problem named
            Path badKafka = Files.writeString(dir.resolve("bad-kafka.properties"), "acks=1\n");
            out.getBuffer().setLength(0);
            assertThat(run(concat(new String[] {"status", "--kafka", bootstrap, "--kafka-properties", badKafka.toString()}, database)))
                    .isEqualTo(GeofaSync.PROBLEMS);
            assertThat(out.toString()).contains("outbox pending:", "unknown: Kafka settings:", "acks");
            err.getBuffer().setLength(0);
            assertThat(run(concat(new String[] {"once", "--mapping", "../config/mapping-vk.yml", "--kafka", "127.0.0.1:1",
                "--geofa-url", fake.baseUrl().toString(), "--geofa-user", "kom630", "--geofa-password-file", geofaPassword.toString()}, database)))
                    .as("Kafka out of reach").isEqualTo(GeofaSync.COULD_NOT_RUN);
            assertThat(err.toString()).contains("geofa-sync once:");
        }

        // GeoFA out of reach: the run fails with the reason, and the change waits for the next run
        db.execute("update vk.facilitet_punkt set navn = 'Venter på GeoFA' where id = 2");
        err.getBuffer().setLength(0);
        assertThat(run(once)).as("GeoFA out of reach").isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("geofa-sync once:");
        try (dk.geofasync.sandbox.geofa.FakeGeofa again = dk.geofasync.sandbox.geofa.FakeGeofa.start(db.config(),
                dk.geofasync.sandbox.geofa.FakeGeofa.Settings.defaults().withPort(geofaPort))) {
            assertThat(run(once)).as("the next run, GeoFA back").isEqualTo(GeofaSync.OK);
            assertThat(again.current("t_5800_fac_pkt").stream().filter(v -> v.text("navn").orElse("").equals("Venter på GeoFA")))
                    .as("nothing lost").hasSize(1);
        }
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("select string_agg(outcome || ':' || created_count || ':' || dead_letter_count, ',' order by id) "
                     + "from sync.run where kind = 'once'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("succeeded:75:0,partial:0:1,failed:0:0,failed:0:0,succeeded:0:0");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
