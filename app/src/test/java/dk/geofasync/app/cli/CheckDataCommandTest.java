package dk.geofasync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.sandbox.SandboxMark;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.vk.SampleVk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code geofa-sync check-data} on sample VK tables in real PostGIS: what GeoFA would refuse, found before anything is sent. */
class CheckDataCommandTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    private static final int SAMPLE_ROWS = 20;

    @TempDir
    static Path dir;
    static String[] database;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void sandbox() throws Exception {
        SandboxMark.claim(db.dataSource());
        Path password = Files.writeString(dir.resolve("pw"), db.config().password().reveal());
        database = new String[] {"--mapping", "../config/mapping-vk.yml", "--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(),
            "--db-password-file", password.toString()};
    }

    @BeforeEach
    void cleanSampleData() {
        // the sample generator draws every value within GeoFA's rules
        new SampleVk(db.dataSource(), SampleVk.vejleMapping()).reset(SAMPLE_ROWS, 630);
    }

    /** Every sample row of every mapped table. */
    private static long allRows() {
        return SAMPLE_ROWS * SampleVk.vejleMapping().tables().size();
    }

    private int checkData(String... args) {
        String[] all = Stream.concat(Stream.of("check-data"), Stream.concat(Stream.of(args), Stream.of(database))).toArray(String[]::new);
        CommandLine cli = GeofaSync.commandLine(all);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(all);
    }

    /** One bad value per kind of rule, each in a row of its own. */
    private static void seedOneBadValuePerRule() {
        db.execute("""
                update vk.facilitet_punkt set facil_ty_k = null where id = 1;
                update vk.facilitet_punkt set navn = repeat('x', 300) where id = 2;
                update vk.facilitet_punkt set off_kode = 99 where id = 3;
                update vk.facilitet_punkt set antal_pl = 10000 where id = 4;
                update vk.facilitet_punkt set saeson_st = '2024-05-01' where id = 5;
                update vk.facilitet_punkt set geom = 'SRID=25832;LINESTRING(550000 6170000, 550100 6170100)' where id = 6;
                -- VK's own column typed without an SRID lets a row without one in
                alter table vk.facilitet_punkt alter column geom type geometry;
                update vk.facilitet_punkt set geom = st_setsrid(geom, 0) where id = 7;
                update vk.facilitet_flade set geom = 'SRID=25832;POLYGON((550000 6170000, 550100 6170100, 550100 6170000, 550000 6170100, 550000 6170000))'
                 where id = 1;
                -- VK typed as text what GeoFA keeps as a number, and a staff member wrote a Danish decimal comma
                alter table vk.rute_linje alter column laengde type text;
                update vk.rute_linje set laengde = '12,5' where id = 1;
                """);
    }

    @Test
    void listsEveryRowGeofaWouldRefuseWithItsColumnAndReasonAndExitsOne() throws Exception {
        seedOneBadValuePerRule();

        assertThat(checkData("--json")).as(err.toString()).isEqualTo(GeofaSync.PROBLEMS);

        JsonNode report = new ObjectMapper().readTree(out.toString());
        List<String> refusals = new ArrayList<>();
        report.get("refusals").forEach(r -> refusals.add(r.get("table").asText() + " " + r.get("key").asText() + " " + r.get("column").asText()
                + " " + r.get("rule").asText() + ": " + r.get("reason").asText()));
        assertThat(refusals).satisfiesExactly(
                r -> assertThat(r).isEqualTo("vk.facilitet_punkt 1 facil_ty_k required: required by GeoFA but has no value"),
                r -> assertThat(r).startsWith("vk.facilitet_punkt 2 navn length: ").contains("254 characters", "(300)"),
                r -> assertThat(r).isEqualTo("vk.facilitet_punkt 3 off_kode code_list: not a code of GeoFA's code list d_basis_offentlig"),
                r -> assertThat(r).isEqualTo("vk.facilitet_punkt 4 antal_pl check: must be between 0 and 9999"),
                r -> assertThat(r).startsWith("vk.facilitet_punkt 5 saeson_st check: ").contains("year 1"),
                r -> assertThat(r).startsWith("vk.facilitet_punkt 6 geom geometry: the geometry is a LineString").contains("MultiPoint"),
                r -> assertThat(r).startsWith("vk.facilitet_punkt 7 geom geometry: the geometry has no SRID (0)"),
                r -> assertThat(r).startsWith("vk.facilitet_flade 1 geom geometry: the geometry is invalid: Self-intersection")
                        .contains("550050.00 6170050.00"),
                r -> assertThat(r).startsWith("vk.rute_linje 1 laengde type: ").contains("takes a number"));
        assertThat(report.get("refusals").get(2).get("value").asText()).as("the value as it would be sent").isEqualTo("99");
        assertThat(report.get("refused_rows").asLong()).isEqualTo(9);
        assertThat(report.get("rows").asLong()).isEqualTo(allRows());
        assertThat(report.get("tables")).extracting(t -> t.get("table").asText() + " " + t.get("refused_rows").asLong())
                .contains("vk.facilitet_punkt 7", "vk.facilitet_flade 1", "vk.rute_linje 1");
    }

    @Test
    void textReportNamesTableKeyColumnReasonAndValue() {
        seedOneBadValuePerRule();

        assertThat(checkData()).as(err.toString()).isEqualTo(GeofaSync.PROBLEMS);

        assertThat(out.toString()).contains(
                "vk.facilitet_punkt -> GeoFA t_5800_fac_pkt",
                "  key 3, column off_kode: not a code of GeoFA's code list d_basis_offentlig (value '99')",
                "  key 4, column antal_pl: must be between 0 and 9999 (value '10000')",
                "  key 5, column saeson_st: must be a date in year 1",
                "(value '2024-05-01')",
                "(value '" + "x".repeat(60) + "'… (300 characters))",
                "  20 rows read, 7 GeoFA would refuse",
                "vk.rute_linje -> GeoFA t_5802_fac_li",
                "(value '12,5')",
                "check-data: GeoFA would refuse 9 of " + allRows() + " rows; fix them in VK (nothing was sent)");
    }

    @Test
    void cleanTablesExitZero() {
        assertThat(checkData()).as(err.toString()).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("20 rows read, none GeoFA would refuse", "check-data: GeoFA would take all " + allRows() + " rows (nothing was sent)");

        assertThat(checkData("--table", "vk.rute_linje", "--json")).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("\"refused_rows\" : 0");
    }

    @Test
    void onlyTheTableAskedForIsRead() {
        db.execute("update vk.facilitet_punkt set off_kode = 99 where id = 3");

        assertThat(checkData("--table", "vk.facilitet_flade")).isEqualTo(GeofaSync.OK);
        assertThat(checkData("--table", "vk.facilitet_punkt")).isEqualTo(GeofaSync.PROBLEMS);
        assertThat(checkData("--table", "vk.ukendt")).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("table vk.ukendt is not in the mapping", "vk.facilitet_punkt");
    }

    @Test
    void valuesOfSensitiveColumnsAreNeverShown() throws Exception {
        // kontak_ved is marked sensitive in the mapping: a contact's name and phone number
        db.execute("update vk.facilitet_punkt set kontak_ved = repeat('Anne Jensen, tlf. 20 30 40 50. ', 10) where id = 8");

        assertThat(checkData()).isEqualTo(GeofaSync.PROBLEMS);
        assertThat(out.toString()).contains("key 8, column kontak_ved: longer than the 254 characters", "(value not shown: personal data)")
                .doesNotContain("Anne Jensen").doesNotContain("20 30 40 50");

        out.getBuffer().setLength(0);
        assertThat(checkData("--json")).isEqualTo(GeofaSync.PROBLEMS);
        JsonNode refusal = new ObjectMapper().readTree(out.toString()).get("refusals").get(0);
        assertThat(refusal.get("column").asText()).isEqualTo("kontak_ved");
        assertThat(refusal.get("masked").asBoolean()).isTrue();
        assertThat(refusal.get("value").isNull()).isTrue();
        assertThat(out.toString()).doesNotContain("Anne Jensen");
    }

    @Test
    void valuesAreJudgedAfterTheMappingsTransforms() {
        // navn is trimmed on the way (transform: trim, empty_as_null): 254 characters inside the spaces fit GeoFA's varchar(254),
        // and a blank name is sent as no name, which GeoFA allows
        db.execute("update vk.facilitet_punkt set navn = '   ' || repeat('y', 254) || '   ' where id = 9;"
                + "update vk.facilitet_punkt set navn = '    ' where id = 10");

        assertThat(checkData("--table", "vk.facilitet_punkt")).as(out.toString()).isEqualTo(GeofaSync.OK);
    }
}
