package dk.geofasync.app.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgCodeList;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.GeofaUser;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code catalogue --from-geofa} against the fake GeoFA over real HTTP. The fake is built from the
 * shipped catalogue and answers GC2's meta and v4 SQL from its own database, so a refresh must read
 * back the shipped catalogue, and what is changed in the fake's database must show as a difference.
 */
class CatalogueFromGeofaTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    /** A password no other output holds, so a leak is found. */
    private static final String PASSWORD = "kodeord-630-hemmeligt";

    static FakeGeofa fake;

    @BeforeAll
    static void startFake() {
        FakeGeofa.Settings defaults = FakeGeofa.Settings.defaults();
        fake = FakeGeofa.start(db.config(), new FakeGeofa.Settings(0, List.of(new GeofaUser("kom630", Secret.of(PASSWORD),
                GeofaUser.VEJLE_FENCE)), defaults.tokenLifetime(), defaults.clock(), defaults.faultSeed()));
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Path dir, String password, String... more) throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("geofa-password"), password);
        List<String> args = new java.util.ArrayList<>(List.of("catalogue", "--from-geofa", "--geofa-url", fake.baseUrl().toString(),
                "--geofa-user", "kom630", "--geofa-password-file", passwordFile.toString()));
        args.addAll(List.of(more));
        CommandLine cli = GeofaSync.commandLine(args.toArray(String[]::new));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args.toArray(String[]::new));
    }

    @Test
    void refreshReadsBackTheShippedCatalogueInAHandfulOfRequests(@TempDir Path dir) throws Exception {
        Path written = dir.resolve("fkg-catalogue.json");

        int exit = run(dir, PASSWORD, "--out", written.toString());

        assertThat(exit).as(out + "\n" + err).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("GeoFA holds what the shipped catalogue holds", "91 themes",
                "in 6 requests: 1 login, 1 meta, 4 SQL", "CHECK rules");
        FkgCatalogue read;
        try (InputStream in = Files.newInputStream(written)) {
            read = FkgCatalogue.read(written.toString(), in);
        }
        FkgCatalogue shipped = FkgCatalogue.standard();
        assertThat(read.themes()).extracting(FkgTheme::name).isEqualTo(shipped.themes().stream().map(FkgTheme::name).toList());
        for (FkgTheme want : shipped.themes()) {
            FkgTheme got = read.theme(want.name()).orElseThrow();
            for (int c = 0; c < want.columns().size(); c++) {
                assertThat(got.columns().get(c)).as(want.name()).isEqualTo(want.columns().get(c));
            }
            assertThat(got).as(want.name()).isEqualTo(want);
        }
        assertThat(read.codeLists()).extracting(FkgCodeList::name).isEqualTo(shipped.codeLists().stream().map(FkgCodeList::name).toList());
        assertThat(read.codeLists()).extracting(FkgCodeList::codes).isEqualTo(shipped.codeLists().stream().map(FkgCodeList::codes).toList());
        assertThat(read.source().model()).isEqualTo("GeoFA");
        assertThat(read.source().revision()).startsWith("geofa-sync fake GeoFA "); // the comment on the fake's schema fkg
        assertThat(read.source().readFrom()).isEqualTo(fake.baseUrl().toString());
        assertThat(out.toString() + err + Files.readString(written)).doesNotContain(PASSWORD);
    }

    @Test
    void aCodeRemovedAndANotNullDroppedInGeofaShowAsDifferences(@TempDir Path dir) throws Exception {
        db.execute("create table public.saved_code as select * from fkg.d_5800_facilitet where facil_ty_k = 3012;"
                + "delete from fkg.d_5800_facilitet where facil_ty_k = 3012;"
                + "alter table fkg.t_5800_fac_pkt_t alter column kvalitet_k drop not null");
        try {
            int exit = run(dir, PASSWORD);

            assertThat(exit).as(out + "\n" + err).isEqualTo(GeofaSync.PROBLEMS);
            assertThat(out.toString()).contains("2 differences from the shipped catalogue",
                    "code list d_5800_facilitet: 1 removed (3012 Shelter)",
                    "t_5800_fac_pkt.kvalitet_k: no longer NOT NULL");
        } finally {
            db.execute("insert into fkg.d_5800_facilitet select * from public.saved_code; drop table public.saved_code;"
                    + "alter table fkg.t_5800_fac_pkt_t alter column kvalitet_k set not null");
        }
    }

    @Test
    void aCodeListGeofaRefusesIsKeptFromTheShippedCatalogueAndSaidSo(@TempDir Path dir) throws Exception {
        db.execute("alter table fkg.d_basis_postnr rename column aktiv to aktiv_gone");
        try {
            int exit = run(dir, PASSWORD);

            assertThat(exit).as(out + "\n" + err).isEqualTo(GeofaSync.OK);
            assertThat(out.toString()).contains("note: code list d_basis_postnr: GeoFA refused the select (",
                    "its codes are kept from the shipped catalogue");
        } finally {
            db.execute("alter table fkg.d_basis_postnr rename column aktiv_gone to aktiv");
        }
    }

    @Test
    void aRefusedLoginSaysWhoWithoutThePassword(@TempDir Path dir) throws Exception {
        int exit = run(dir, "wrong-" + PASSWORD);

        assertThat(exit).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("GeoFA refused the login of user kom630").doesNotContain(PASSWORD);
    }
}
