package dk.geofasync.app.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgCodeList;
import dk.geofasync.sandbox.geofa.FakeGeofaDatabase;
import dk.geofasync.sandbox.geofa.GeofaUser;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The catalogue generator reads a database holding the FKG model. CI has no install of the real model
 * (its SQL is not ours to ship), so it reads the fake GeoFA built from the shipped catalogue: what it
 * reads back must be the shipped catalogue, which checks the generator and the fake's fidelity at once.
 * The shipped catalogue itself was generated from OpenFKG/fkg-postgresql installed on a session machine.
 */
class CatalogueCommandTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    @BeforeAll
    static void fakeGeofaModel() {
        new FakeGeofaDatabase(db.dataSource(), FkgCatalogue.standard(), List.of(GeofaUser.vejle())).reset();
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
    void generatesFromAModelDatabaseWhatTheShippedCatalogueHolds(@TempDir Path dir) throws Exception {
        Path password = dir.resolve("password");
        Files.writeString(password, db.config().password().reveal());
        Path generated = dir.resolve("fkg-catalogue.json");

        int exit = run("catalogue", "--from-db", db.config().jdbcUrl(), "--from-db-user", db.config().user(),
                "--from-db-password-file", password.toString(), "--revision", "test", "--out", generated.toString());

        assertThat(exit).as(err.toString()).isEqualTo(GeofaSync.OK);
        assertThat(out.toString()).contains("91 themes");
        FkgCatalogue read;
        try (InputStream in = Files.newInputStream(generated)) {
            read = FkgCatalogue.read(generated.toString(), in);
        }
        FkgCatalogue shipped = FkgCatalogue.standard();
        assertThat(read.source().revision()).isEqualTo("test");
        assertThat(read.themes()).hasSameSizeAs(shipped.themes());
        for (int i = 0; i < shipped.themes().size(); i++) {
            var want = shipped.themes().get(i);
            var got = read.themes().get(i);
            assertThat(got.columns()).as(want.name() + " columns").hasSameSizeAs(want.columns());
            for (int c = 0; c < want.columns().size(); c++) {
                assertThat(got.columns().get(c)).as(want.name()).isEqualTo(want.columns().get(c));
            }
            assertThat(got).as(want.name()).isEqualTo(want);
        }
        assertThat(read.codeLists()).extracting(FkgCodeList::name).isEqualTo(shipped.codeLists().stream().map(FkgCodeList::name).toList());
        assertThat(read.codeLists()).extracting(FkgCodeList::codes).isEqualTo(shipped.codeLists().stream().map(FkgCodeList::codes).toList());
    }

    @Test
    void withoutADatabaseItDescribesTheShippedCatalogue() {
        assertThat(run("catalogue")).isEqualTo(GeofaSync.OK);

        assertThat(out.toString()).contains("OpenFKG/fkg-postgresql at 5fbed9b8330de676f330dd6902a50e592c3bb75b", "91 themes",
                "t_5802_fac_li");
    }

    @Test
    void aDatabaseWithoutTheModelIsRefusedClearly(@TempDir Path dir) throws Exception {
        Path password = dir.resolve("password");
        Files.writeString(password, db.config().password().reveal());

        int exit = run("catalogue", "--from-db", db.config().jdbcUrl().replaceAll("/[^/?]+(\\?|$)", "/postgres$1"),
                "--from-db-user", db.config().user(), "--from-db-password-file", password.toString(), "--out", dir.resolve("x.json").toString());

        assertThat(exit).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("no FKG theme views");
    }
}
