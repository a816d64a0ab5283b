package dk.geofasync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.MappingLoader;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InitMappingCommandTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    static Path password;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void schema(@TempDir Path dir) throws Exception {
        db.execute("create schema vk");
        password = Files.writeString(dir.resolve("pw"), db.config().password().reveal());
    }

    private int initMapping(String... args) {
        String[] all = new String[args.length + 7];
        all[0] = "init-mapping";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(new String[] {"--db-url", db.config().jdbcUrl(), "--db-user", db.config().user(), "--db-password-file", password.toString()},
                0, all, args.length + 1, 6);
        CommandLine cli = GeofaSync.commandLine(all);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(all);
    }

    /** A VK table with every column of the theme (GeoFA's own and derived ones too), as a municipality copying the model would make it. */
    private static String tableLikeTheme(String name, FkgTheme theme) {
        List<String> columns = new ArrayList<>(List.of("id serial primary key"));
        for (FkgColumn c : theme.columns()) {
            columns.add('"' + c.name() + "\" " + (c.type() == FkgType.GEOMETRY ? "geometry(" + theme.geometryType().geoJsonName() + ", 25832)" : c.sqlType()));
        }
        return "create table vk." + name + " (" + String.join(", ", columns) + ")";
    }

    @Test
    void aTableWithTheThemesColumnNamesGivesAMappingThatLoadsForEveryTheme(@TempDir Path dir) throws Exception {
        List<String> failed = new ArrayList<>();
        for (FkgTheme theme : FkgCatalogue.standard().themes()) {
            db.execute(tableLikeTheme(theme.name(), theme));
            Path file = dir.resolve(theme.name() + ".yml");

            int exit = initMapping("--table", "vk." + theme.name(), "--theme", theme.name(), "--out", file.toString());

            if (exit != GeofaSync.OK) {
                failed.add(theme.name() + " exit " + exit + ": " + out + err);
                continue;
            }
            TableMapping mapped = MappingLoader.standard().load(file).table("vk." + theme.name()).orElseThrow();
            assertThat(mapped.keyColumn()).isEqualTo("id");
            assertThat(mapped.objektIdColumn()).isEqualTo("objekt_id");
            assertThat(mapped.columns()).as(theme.name() + ": every column geofa-sync may write, under its own name")
                    .allMatch(c -> c.vkColumn().equals(c.geofaColumn()))
                    .extracting(ColumnMapping::geofaColumn)
                    .containsExactlyInAnyOrderElementsOf(theme.columns().stream().filter(FkgColumn::writable)
                            .map(FkgColumn::name).filter(n -> !n.equals("noegle")).toList());
        }
        assertThat(failed).isEmpty();
        String points = Files.readString(dir.resolve("t_5800_fac_pkt.yml"));
        assertThat(points).as("GeoFA's own and derived columns are refused as targets, and say so")
                .containsPattern("#   versions_id +GeoFA sets versions_id itself \\(it can come back into VK under write_back\\)")
                .contains("GeoFA derives status from statuskode; map the VK column holding that code to statuskode")
                .contains("GeoFA's noegle holds geofa-sync's correlation key");
        assertThat(points).doesNotContain("# TODO").contains("      geometri:\n");
        assertThat(MappingLoader.standard().load(dir.resolve("t_7900_fotoforbindelse.yml")).tables().get(0).columnFromGeofa("geometri"))
                .as("a theme without geometry").isEmpty();
    }

    @Test
    void closeNamesAreMatchedAndWhatIsLeftIsMarkedToDo(@TempDir Path dir) throws Exception {
        db.execute("""
                create table vk.faciliteter (
                    gid integer primary key,
                    "ObjektId" uuid,
                    the_geom geometry(Point, 25832),
                    "Navn" varchar(128),
                    facilty_k integer,
                    handikap integer,
                    statuskode integer,
                    off_kode integer,
                    oprind_kode integer,
                    kvalitetk integer,
                    "Længde_tekst" text,
                    saeson_start date,
                    status text,
                    intern_note text,
                    bemaerkning text,
                    kommunekode integer)""");
        Path file = dir.resolve("faciliteter.yml");

        assertThat(initMapping("--table", "vk.faciliteter", "--theme", "t_5800_fac_pkt", "--out", file.toString()))
                .as("required columns are left to fill: exit 1").isEqualTo(GeofaSync.PROBLEMS);

        String yaml = Files.readString(file);
        assertThat(out.toString()).contains("wrote " + file, "vk.faciliteter -> t_5800_fac_pkt", "To do before it loads",
                "column cvr_kode: a value under 'constants' must be a single number or text");
        assertThat(yaml).contains("    key: gid\n", "    objekt_id: ObjektId\n", "the_geom: geometri", "Navn: navn", "facilty_k: facil_ty_k",
                "oprind_kode: oprindkode", "kvalitetk: kvalitet_k", "handikap: handicap_k", "TODO check: matched by a close name");
        assertThat(yaml).as("VK columns left out, each with its reason")
                .containsPattern("#   status +GeoFA derives status from statuskode")
                .containsPattern("#   kommunekode +GeoFA derives kommunekode")
                .containsPattern("#   intern_note +no GeoFA column of t_5800_fac_pkt has this name or one close to it")
                .containsPattern("#   bemaerkning +no GeoFA column")
                .containsPattern("#   saeson_start +no GeoFA column");
        assertThat(yaml).contains("#   cvr_kode, bruger_id\n", "      cvr_kode:", "TODO required: integer, a code of d_basis_ansvarlig_myndighed");

        Mapping filled = MappingLoader.standard().load("filled", new java.io.ByteArrayInputStream(yaml
                .replace("      cvr_kode:", "      cvr_kode: 29189900").replace("      bruger_id:", "      bruger_id: vejle")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        TableMapping table = filled.table("vk.faciliteter").orElseThrow();
        assertThat(table.columns().stream().map(c -> c.vkColumn() + "->" + c.geofaColumn()).collect(Collectors.toList()))
                .containsExactly("the_geom->geometri", "Navn->navn", "facilty_k->facil_ty_k", "handikap->handicap_k", "statuskode->statuskode",
                        "off_kode->off_kode", "oprind_kode->oprindkode", "kvalitetk->kvalitet_k");
        assertThat(table.constants()).containsEntry("cvr_kode", "29189900");
    }

    @Test
    void aTableWithoutObjektIdColumnIsToldToAddOne(@TempDir Path dir) throws Exception {
        db.execute(tableLikeTheme("uden_objekt_id", FkgCatalogue.standard().theme("t_5802_fac_li").orElseThrow())
                + "; alter table vk.uden_objekt_id drop column objekt_id");

        assertThat(initMapping("--table", "vk.uden_objekt_id", "--theme", "t_5802_fac_li")).isEqualTo(GeofaSync.PROBLEMS);

        assertThat(out.toString()).as("the skeleton on the screen is the YAML alone")
                .startsWith("# geofa-sync mapping: VK table vk.uden_objekt_id -> GeoFA theme t_5802_fac_li")
                .contains("objekt_id: objekt_id", "# TODO: add it: alter table vk.uden_objekt_id add column objekt_id uuid");
        assertThat(err.toString()).contains("To do in VK: alter table vk.uden_objekt_id add column objekt_id uuid");
    }

    @Test
    void unknownThemeMissingTableAndAnExistingFileAreRefusedByName(@TempDir Path dir) throws Exception {
        assertThat(initMapping("--table", "vk.faciliteter", "--theme", "5800")).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("unknown GeoFA theme '5800'; did you mean t_5800_fac_pkt?");

        assertThat(initMapping("--table", "vk.findes_ikke", "--theme", "t_5800_fac_pkt")).isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains("the VK database has no table vk.findes_ikke");

        Path existing = Files.writeString(dir.resolve("mapping.yml"), "# mine\n");
        assertThat(initMapping("--table", "vk.findes_ikke", "--theme", "t_5800_fac_pkt", "--out", existing.toString()))
                .isEqualTo(GeofaSync.COULD_NOT_RUN);
        assertThat(err.toString()).contains(existing + " exists; init-mapping does not overwrite a mapping");
        assertThat(Files.readString(existing)).isEqualTo("# mine\n");
    }

    @Test
    void helpNamesTheCommand() {
        CommandLine cli = GeofaSync.commandLine("--help");
        cli.setOut(new PrintWriter(out, true));
        cli.execute("--help");
        assertThat(out.toString()).contains("init-mapping");
    }
}
