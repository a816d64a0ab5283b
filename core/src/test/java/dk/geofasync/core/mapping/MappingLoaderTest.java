package dk.geofasync.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MappingLoaderTest {

    private static final Path SHIPPED = Path.of("..", "config", "mapping-vk.yml");

    /** A minimal valid table; tests replace one line of it to break it. */
    private static final String GOOD = """
            constants:
              cvr_kode: 29189900
              bruger_id: test
            tables:
              - table: vk.points
                theme: t_5800_fac_pkt
                key: id
                objekt_id: objekt_id
                columns:
                  geom: geometri
                  oprindkode:
                  statuskode:
                  off_kode:
                  facil_ty_k:
                  kvalitet_k:
                  vk_navn: { to: navn, transform: [trim, empty_as_null], values: { "Toilet ": "Toiletter" } }
            """;



    @Test
    void shippedVejleMappingLoadsItsFiveThemes() {
        Mapping mapping = MappingLoader.standard().load(SHIPPED);

        assertThat(mapping.tables()).extracting(t -> t.theme().name())
                .containsExactly("t_5800_fac_pkt", "t_5801_fac_fl", "t_5802_fac_li", "t_5607_ladefacilitet", "t_5710_born_skole_dis");
        TableMapping points = mapping.table("vk.facilitet_punkt").orElseThrow();
        assertThat(points.keyColumn()).isEqualTo("id");
        assertThat(points.objektIdColumn()).isEqualTo("objekt_id");
        assertThat(points.columnFromVk("geom")).map(ColumnMapping::geofaColumn).contains("geometri");
        assertThat(points.constants()).containsEntry("cvr_kode", "29189900");
        assertThat(points.sensitiveColumns()).containsExactly("kontak_ved");
        assertThat(mapping.table("vk.facilitet_flade").orElseThrow().syncedVkColumns())
                .isEqualTo(points.syncedVkColumns());
    }

    @Test
    void shortFormMapsToTheSameNameAndLongFormCarriesRules() {
        TableMapping table = MappingText.load(GOOD).table("vk.points").orElseThrow();

        assertThat(table.columnFromVk("facil_ty_k")).map(ColumnMapping::geofaColumn).contains("facil_ty_k");
        ColumnMapping navn = table.columnFromVk("vk_navn").orElseThrow();
        assertThat(navn.geofaColumn()).isEqualTo("navn");
        assertThat(navn.apply(Optional.of("  Shelter  "))).contains("Shelter");
        assertThat(navn.apply(Optional.of("   "))).isEmpty();
        assertThat(navn.apply(Optional.empty())).isEmpty();
        assertThat(table.vkColumnsRead()).startsWith("id", "objekt_id", "geom");
    }

    @Test
    void tableLevelConstantOverridesFileWideConstant() {
        TableMapping table = MappingText.load(GOOD.replace("    key: id", "    constants: { bruger_id: other }\n    key: id"))
                .table("vk.points").orElseThrow();

        assertThat(table.constants()).containsEntry("bruger_id", "other").containsEntry("cvr_kode", "29189900");
    }

    @Test
    void aMatchRuleNamesSyncedColumnsAndADistanceOrAnObjektIdColumn() {
        TableMapping byValues = MappingText.load(GOOD + "    match: { columns: [facil_ty_k, vk_navn], within: 5 }\n").table("vk.points").orElseThrow();
        TableMapping byId = MappingText.load(GOOD + "    match: { objekt_id: geofa_id }\n").table("vk.points").orElseThrow();

        assertThat(byValues.match()).contains(new MatchRule(java.util.Optional.empty(), java.util.List.of("facil_ty_k", "vk_navn"),
                java.util.Optional.of(new java.math.BigDecimal("5"))));
        assertThat(byId.match().orElseThrow().objektIdColumn()).contains("geofa_id");
        assertThat(MappingText.load(GOOD).table("vk.points").orElseThrow().match()).isEmpty();
    }

    @Test
    void aMatchRuleOnAColumnTheTableDoesNotSyncOrWithoutACriterionIsRefused() {
        assertThat(MappingText.problemsOf(GOOD + "    match: { columns: [nope] }\n")).contains("nope, which is not a synced VK column");
        assertThat(MappingText.problemsOf(GOOD + "    match: { within: -1 }\n")).contains("within must be a distance in metres above 0");
        assertThat(MappingText.problemsOf(GOOD + "    match: {}\n")).contains("give objekt_id");
        assertThat(MappingText.problemsOf(GOOD + "    match: { objekt_id: geofa_id, within: 5 }\n")).contains("not both");
    }

    @Test
    void invalidTableNameIsRejectedNamingIt() {
        assertThat(MappingText.problemsOf(GOOD.replace("table: vk.points", "table: vk.points; drop table x")))
                .contains("test.yml: table vk.points; drop table x: 'vk.points; drop table x' is not a valid table name");
    }

    @Test
    void unknownGeofaColumnIsRejectedNamingTableAndColumn() {
        assertThat(MappingText.problemsOf(GOOD.replace("facil_ty_k:\n", "facil_ty_k:\n      vk_x: navnx\n")))
                .contains("test.yml: table vk.points, column vk_x: GeoFA theme t_5800_fac_pkt has no column 'navnx'");
    }

    @Test
    void invalidVkColumnNameIsRejected() {
        assertThat(MappingText.problemsOf(GOOD.replace("  off_kode:\n", "  off_kode:\n      \"navn--\": navn_uk\n")))
                .contains("table vk.points, column navn--: not a valid VK column name");
    }

    @Test
    void missingKeyIsRejectedNamingTheTable() {
        assertThat(MappingText.problemsOf(GOOD.replace("    key: id\n", "")))
                .contains("test.yml: table vk.points: key 'key' is missing (the VK primary key column)");
    }

    @Test
    void missingRequiredGeofaColumnIsRejected() {
        assertThat(MappingText.problemsOf(GOOD.replace("      facil_ty_k:\n", "")))
                .contains("table vk.points, column facil_ty_k: GeoFA theme t_5800_fac_pkt requires facil_ty_k");
    }

    @Test
    void unknownThemeIsRejected() {
        assertThat(MappingText.problemsOf(GOOD.replace("t_5800_fac_pkt", "t_9999_nothing")))
                .contains("table vk.points: unknown GeoFA theme 't_9999_nothing'");
    }

    @Test
    void serverSetAndDerivedColumnsCannotBeMapped() {
        String message = MappingText.problemsOf(GOOD.replace("facil_ty_k:\n", "facil_ty_k:\n      gid: versions_id\n      t: temanavn\n"));

        assertThat(message).contains("column gid: GeoFA column versions_id is set by GeoFA and cannot be written")
                .contains("column t: GeoFA column temanavn is a read-only column derived by GeoFA");
    }

    @Test
    void objektIdColumnCannotBeSentAsAValue() {
        assertThat(MappingText.problemsOf(GOOD.replace("facil_ty_k:\n", "facil_ty_k:\n      objekt_id: navn\n")))
                .contains("column objekt_id: this is the objekt_id column");
    }

    @Test
    void twoVkColumnsCannotFillOneGeofaColumn() {
        assertThat(MappingText.problemsOf(GOOD.replace("facil_ty_k:\n", "facil_ty_k:\n      type2: facil_ty_k\n")))
                .contains("column type2: GeoFA column facil_ty_k is already filled from VK column facil_ty_k");
    }

    @Test
    void constantMustFitItsColumn() {
        assertThat(MappingText.problemsOf(GOOD.replace("cvr_kode: 29189900", "cvr_kode: Vejle")))
                .contains("column cvr_kode: constant Vejle: GeoFA's integer takes a number");
    }

    @Test
    void derivedColumnIsRefusedWithItsWritableAlternative() {
        String routes = GOOD.replace("t_5800_fac_pkt", "t_5802_fac_li").replace("facil_ty_k:\n", "rute_ty_k:\n      handikap:\n");

        assertThat(MappingText.problemsOf(routes)).contains("column handikap: GeoFA column handikap is a read-only column derived by GeoFA")
                .contains("map the code to handicap_k instead (code list d_basis_handicapegnet)");
    }

    @Test
    void constantOutsideItsCodeListIsRefused() {
        assertThat(MappingText.problemsOf(GOOD.replace("cvr_kode: 29189900", "cvr_kode: 29189900\n  off_kode: 99").replace("      off_kode:\n", "")))
                .contains("column off_kode: constant 99: not a code of GeoFA's code list d_basis_offentlig");
    }

    @Test
    void valueMapToACodeGeofaDoesNotHaveIsRefused() {
        String mapped = GOOD.replace("      facil_ty_k:\n", "      facil_ty_k: { to: facil_ty_k, values: { \"Fiskeplads\": \"99999\" } }\n");

        assertThat(MappingText.problemsOf(mapped)).contains("values: 'Fiskeplads' maps to 99999, which GeoFA column facil_ty_k refuses: not a code of GeoFA's code list d_5800_facilitet");
    }

    @Test
    void misspeltKeyIsRejectedWithWhereItIs() {
        assertThat(MappingText.problemsOf(GOOD.replace("    theme:", "    tema:")))
                .contains("test.yml: at tables #1 > tema: unknown key 'tema'");
    }

    @Test
    void keyGivenTwiceIsRejected() {
        assertThat(MappingText.problemsOf(GOOD.replace("    key: id\n", "    key: id\n    key: gid\n")))
                .contains("Duplicate field 'key'");
    }

    @Test
    void sameTableTwiceIsRejected() {
        String twice = GOOD + GOOD.substring(GOOD.indexOf("  - table:"));

        assertThat(MappingText.problemsOf(twice)).contains("table vk.points: the table is mapped more than once");
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        InvalidMappingException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidMappingException.class,
                () -> MappingText.load(GOOD.replace("    key: id\n", "").replace("      facil_ty_k:\n", "")));

        assertThat(e.problems()).hasSize(2);
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> MappingLoader.standard().load(Path.of("no-such-mapping.yml")))
                .isInstanceOf(InvalidMappingException.class)
                .hasMessageContaining("no-such-mapping.yml")
                .hasMessageContaining("does not exist");
    }
}
