package dk.geofasync.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo jar's commands on a scratch PostGIS database, and the production command line without them. */
class GeofaSyncDemoTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final PostgisDatabase production = new PostgisDatabase();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = GeofaSyncDemo.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void productionCommandLineHasNoSandboxCommands() {
        assertThat(GeofaSync.commandLine().getSubcommands()).doesNotContainKeys("demo", "sandbox", "fake-geofa", "kafka").containsKeys("run", "once");
        assertThat(GeofaSyncDemo.commandLine().getSubcommands()).containsKeys("demo", "sandbox", "fake-geofa", "kafka", "run", "once");
    }

    @Test
    void kafkaCommandRefusesAHostThatIsNoAddressNamingIt() {
        int code = run("kafka", "--host", "0.0.0.0;x", "--data-dir", "target/never");

        assertThat(code).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("geofa-sync kafka: Kafka host must be a host name or IPv4 address");
    }

    @Test
    void sandboxResetRefusesADatabaseOfRealData(@TempDir Path dir) throws Exception {
        production.execute("create schema vk; create table vk.facilitet_punkt (id int primary key); insert into vk.facilitet_punkt values (1)");
        Path passwordFile = Files.writeString(dir.resolve("pw"), production.config().password().reveal());

        int code = run("sandbox", "reset", "--objects", "10", "--db-url", production.config().jdbcUrl(), "--db-user", production.config().user(),
                "--db-password-file", passwordFile.toString());

        assertThat(code).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("database " + production.database().name() + " is not a geofa-sync sandbox and not empty");
        try (var c = production.connect(); var rs = c.createStatement().executeQuery("select count(*) from vk.facilitet_punkt")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the data is still there").isEqualTo(1);
        }
    }

    @Test
    void sandboxResetBuildsBothSides(@TempDir Path dir) throws Exception {
        Path passwordFile = dir.resolve("pw");
        Files.writeString(passwordFile, db.config().password().reveal());

        int code = run("sandbox", "reset", "--objects", "80", "--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(),
                "--db-password-file", passwordFile.toString());

        assertThat(code).as(err.toString()).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("VK vk.facilitet_punkt", "80 objects", "GeoFA t_5800_fac_pkt", "already linked from VK");
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("select (select count(*) from vk.rute_linje), "
                     + "(select count(*) from fkg.t_5800_fac_pkt), (select count(*) from vk.facilitet_punkt where objekt_id is not null)")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(80);
            assertThat(rs.getInt(2)).isEqualTo(rs.getInt(3)).isPositive();
        }
    }

    @Test
    void demoRunsTheWholePipelineOnTheSandbox(@TempDir Path dir) throws Exception {
        Path passwordFile = dir.resolve("pw");
        Files.writeString(passwordFile, db.config().password().reveal());

        int code = run("demo", "--objects", "20", "--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(),
                "--db-password-file", passwordFile.toString());

        assertThat(code).as(err.toString()).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("{CREATED=", "{UPDATED=1}", "{DELETED=1}", "{DEAD_LETTERED=1}", "nothing for GeoFA",
                "supersedes its dead letter)", "22 rows,    22 with objekt_id", "22 current objects",
                "(superseded): vk.facilitet_punkt 22, column off_kode: off_kode = 99 is not a value of GeoFA's code list d_basis_offentlig");
    }
}
