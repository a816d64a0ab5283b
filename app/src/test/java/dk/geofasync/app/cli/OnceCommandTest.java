package dk.geofasync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.sandbox.SandboxMark;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code geofa-sync once} against real PostgreSQL, Kafka and the fake GeoFA: what a run records in sync.run is what it did. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnceCommandTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    private static final int ROWS_PER_TABLE = 15;
    /** In the navn of one object only: GeoFA fails on its statement with 503, and on nothing else. */
    private static final String GEOFA_FAILS_ON = "GEOFA-FAILS-ON-THIS";

    @TempDir
    static Path dir;
    static FakeGeofa fake;
    static String[] database;
    static String[] once;
    static String prefix;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void sandbox() throws Exception {
        SandboxMark.claim(db.dataSource());
        fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults());
        Path password = Files.writeString(dir.resolve("pw"), db.config().password().reveal());
        Path geofaPassword = Files.writeString(dir.resolve("geofa"), "sandbox\n");
        database = new String[] {"--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(), "--db-password-file", password.toString()};
        once = concat(new String[] {"once", "--mapping", "../config/mapping-vk.yml", "--kafka", kafka.bootstrapServers(), "--kafka-replication-factor", "1",
            "--kafka-prefix", prefix = SharedKafka.unique("once"), "--geofa-url", fake.baseUrl().toString(), "--geofa-user", "kom630",
            "--geofa-password-file", geofaPassword.toString(), "--geofa-retry-wait", "20"}, database); // GeoFA away: seconds, not a minute
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    private int run(String... args) {
        CommandLine cli = GeofaSync.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    @Order(1)
    void onceThatFailsPartWayRecordsWhatItDidBeforeFailing() throws Exception {
        new SampleVk(db.dataSource(), SampleVk.vejleMapping()).reset(ROWS_PER_TABLE, 630);
        fake.database().reset(); // nothing in GeoFA yet: every VK row is new
        db.execute("update vk.facilitet_punkt set objekt_id = null; update vk.facilitet_flade set objekt_id = null; "
                + "update vk.rute_linje set objekt_id = null; update vk.ladefacilitet set objekt_id = null; "
                + "update vk.skoledistrikt set objekt_id = null");
        assertThat(run(concat(new String[] {"migrate"}, database))).isZero();
        assertThat(run(concat(new String[] {"install-triggers", "--mapping", "../config/mapping-vk.yml"}, database))).isZero();
        assertThat(run(concat(new String[] {"backfill", "--mapping", "../config/mapping-vk.yml"}, database))).isZero();
        assertThat(run(once)).as(err.toString()).isEqualTo(GeofaSync.OK);

        // every shelter renamed; GeoFA fails (503, again and again) on the statement that carries one of them,
        // so that object's partition waits while the others' renames go through: the run fails part-way
        db.execute("update vk.facilitet_punkt set navn = 'Omdøbt ' || id");
        // the relay's pump looked in between (else shelter 1's two renames would be one event, in the renames' request)
        db.execute("select sync.pump_captured_keys(100000)");
        db.execute("update vk.facilitet_punkt set navn = '" + GEOFA_FAILS_ON + "' where id = 1");
        fake.faults().failWhenBodyContains(GEOFA_FAILS_ON, 503);
        try {
            assertThat(run(once)).as(out.toString()).isEqualTo(GeofaSync.COULD_NOT_RUN);
        } finally {
            fake.faults().clear();
        }

        long failed = number("select max(id) from sync.run where kind = 'once'");
        assertThat(text("select outcome from sync.run where id = " + failed)).isEqualTo("failed");
        long updated = number("select updated_count from sync.run where id = " + failed);
        long renamedInGeofa = fake.current("t_5800_fac_pkt").stream().filter(v -> v.text("navn").orElse("").startsWith("Omdøbt ")).count();
        assertThat(updated).as("some renames went through before the run failed").isPositive();
        assertThat(number("select count(*) from sync.inbox where op = 'U' and state <> 'applied'")).as("and some wait").isPositive();
        assertThat(updated).as("what GeoFA holds").isEqualTo(renamedInGeofa);
        assertThat(updated).as("the change log under the run").isEqualTo(
                number("select count(distinct event_id) from sync.change_log where op = 'U' and run_id = " + failed));
        assertThat(updated).as("the inbox under the run").isEqualTo(
                number("select count(*) from sync.inbox where state = 'applied' and op = 'U' and run_id = " + failed));
        assertThat(number("select created_count + deleted_count + dead_letter_count from sync.run where id = " + failed)).isZero();
        assertThat(number("select count(*) from sync.change_log where run_id is null")).as("every change under its run").isZero();

        out.getBuffer().setLength(0);
        assertThat(run(concat(new String[] {"runs", "--json"}, database))).isZero();
        JsonNode listed = new ObjectMapper().readTree(out.toString()).get(0);
        assertThat(listed.path("id").asLong()).isEqualTo(failed);
        assertThat(listed.path("outcome").asText()).isEqualTo("failed");
        assertThat(listed.path("updated").asLong()).isEqualTo(updated);

        assertThat(run(once)).as("the next run applies what waited").isEqualTo(GeofaSync.OK);
        long next = number("select max(id) from sync.run where kind = 'once'");
        long updatedNext = number("select updated_count from sync.run where id = " + next);
        assertThat(updatedNext).as("the change log under the next run").isEqualTo(
                number("select count(distinct event_id) from sync.change_log where op = 'U' and run_id = " + next));
        assertThat(updated + updatedNext).as("every rename counted once, by the run that applied it")
                .isEqualTo(number("select count(*) from sync.inbox where op = 'U'"));
        assertThat(fake.current("t_5800_fac_pkt").stream().filter(v -> v.text("navn").orElse("").startsWith("Omdøbt ")))
                .hasSize(ROWS_PER_TABLE - 1);
    }

    @Test
    @Order(2) // goes on from the first test's world, where everything is applied
    void onceUnderStaffsPauseAppliesNothingAndExitsOneSayingWhy() throws Exception {
        long inboxBefore = number("select count(*) from sync.inbox");

        db.execute("insert into sync.applier_pause (applier_group, paused_by, reason) values ('" + prefix + "-applier', 'dba', 'GeoFA window')");
        db.execute("update vk.facilitet_punkt set navn = 'Under pause' where id = 2");
        err.getBuffer().setLength(0);
        assertThat(run(once)).as(out.toString()).isEqualTo(GeofaSync.PROBLEMS);
        assertThat(err.toString()).contains("the applier is paused by dba", "(GeoFA window)");
        assertThat(number("select count(*) from sync.inbox")).as("nothing applied while paused").isEqualTo(inboxBefore);
        assertThat(fake.current("t_5800_fac_pkt").stream().filter(v -> v.text("navn").orElse("").equals("Under pause"))).isEmpty();

        db.execute("delete from sync.applier_pause");
        assertThat(run(once)).as(err.toString()).isEqualTo(GeofaSync.OK);
        assertThat(fake.current("t_5800_fac_pkt").stream().filter(v -> v.text("navn").orElse("").equals("Under pause"))).hasSize(1);
    }

    private static long number(String sql) throws SQLException {
        return Long.parseLong(text(sql));
    }

    private static String text(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
