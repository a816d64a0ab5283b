package dk.geofasync.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.ValueCheck;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The value rules of a mapping (transforms, value map, scale): what they make of VK values, and where the mapping allows them. */
class TransformTest {

    /** A valid route table; tests change its laengde line. */
    private static final String ROUTES = """
            constants: { cvr_kode: 29189900, bruger_id: test }
            tables:
              - table: vk.ruter
                theme: t_5802_fac_li
                key: id
                objekt_id: objekt_id
                columns:
                  geom: geometri
                  oprindkode:
                  statuskode:
                  off_kode:
                  rute_ty_k:
                  kvalitet_k:
                  laengde_m: { to: laengde, scale: 0.001 }
            """;

    /** A valid point table; tests change its season lines. */
    private static final String POINTS = """
            constants: { cvr_kode: 29189900, bruger_id: test }
            tables:
              - table: vk.punkter
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
                  navn:
                  saeson_start: { to: saeson_st, transform: [day_month] }
                  saeson_slut: { to: saeson_sl, transform: [day_month] }
            """;



    private static FkgColumn geofaColumn(String theme, String column) {
        return FkgCatalogue.standard().theme(theme).flatMap(t -> t.column(column)).orElseThrow();
    }

    @Test
    void scaleTurnsVkMetresIntoGeofaKilometresExactly() {
        ColumnMapping laengde = MappingText.load(ROUTES).table("vk.ruter").orElseThrow().columnFromVk("laengde_m").orElseThrow();

        assertThat(laengde.apply(Optional.of("1234"))).contains("1.234");
        assertThat(laengde.apply(Optional.of("12500.5"))).contains("12.5005");
        assertThat(laengde.apply(Optional.of("3000"))).as("no trailing zeros, no exponent").contains("3");
        assertThat(laengde.apply(Optional.of("1.5E+3"))).contains("1.5");
        assertThat(laengde.apply(Optional.empty())).isEmpty();
        assertThat(laengde.apply(Optional.of("12,5"))).as("no number: passes unchanged for GeoFA to refuse, naming the column").contains("12,5");
    }

    @Test
    void scaledValuesAreJudgedByGeofasRangeInKilometres() {
        ColumnMapping laengde = MappingText.load(ROUTES).table("vk.ruter").orElseThrow().columnFromVk("laengde_m").orElseThrow();
        FkgColumn target = geofaColumn("t_5802_fac_li", "laengde");

        assertThat(ValueCheck.check(FkgCatalogue.standard(), target, laengde.apply(Optional.of("1234")).orElseThrow())).isEmpty();
        assertThat(ValueCheck.check(FkgCatalogue.standard(), target, "1234")).as("unscaled metres break the 0.1-500.99 km check").isPresent();
        assertThat(ValueCheck.check(FkgCatalogue.standard(), target, laengde.apply(Optional.of("600000")).orElseThrow())).isPresent();
    }

    @Test
    void valueMapWinsOverScaleBecauseItsValuesAreGeofas() {
        ColumnMapping laengde = MappingText.load(ROUTES.replace("scale: 0.001", "scale: 0.001, values: { \"-1\": \"0.1\" }"))
                .table("vk.ruter").orElseThrow().columnFromVk("laengde_m").orElseThrow();

        assertThat(laengde.apply(Optional.of("-1"))).contains("0.1");
        assertThat(laengde.apply(Optional.of("2000"))).contains("2");
    }

    @Test
    void scaleMustBeANonZeroNumberOnANumericGeofaColumn() {
        assertThat(MappingText.problemsOf(ROUTES.replace("scale: 0.001", "scale: \"0,001\"")))
                .contains("table vk.ruter, column laengde_m: scale must be a number, e.g. scale: 0.001", "not '0,001'");
        assertThat(MappingText.problemsOf(ROUTES.replace("scale: 0.001", "scale: 0")))
                .contains("table vk.ruter, column laengde_m: scale must not be 0");
        assertThat(MappingText.problemsOf(ROUTES.replace("laengde_m: { to: laengde, scale: 0.001 }", "navn_x: { to: navn, scale: 2 }")))
                .contains("column navn_x: scale works on numbers, and GeoFA column navn is varchar");
    }

    @Test
    void fractionalScaleIntoAWholeNumberColumnIsRefused() {
        String points = POINTS.replace("      navn:\n", "      navn:\n      pladser: { to: antal_pl, scale: 0.5 }\n");
        assertThat(MappingText.problemsOf(points)).contains("column pladser: scale 0.5 makes fractions, which GeoFA column antal_pl (integer) refuses");

        ColumnMapping doubled = MappingText.load(POINTS.replace("      navn:\n", "      navn:\n      pladser: { to: antal_pl, scale: 2 }\n"))
                .table("vk.punkter").orElseThrow().columnFromVk("pladser").orElseThrow();
        assertThat(doubled.apply(Optional.of("12"))).contains("24");
    }

    @Test
    void dayMonthKeepsDayAndMonthInYearOne() {
        TableMapping points = MappingText.load(POINTS).table("vk.punkter").orElseThrow();
        ColumnMapping start = points.columnFromVk("saeson_start").orElseThrow();

        assertThat(start.apply(Optional.of("2024-06-15"))).contains("0001-06-15");
        assertThat(start.apply(Optional.of("1999-12-31"))).contains("0001-12-31");
        assertThat(start.apply(Optional.of("2023-04-01 00:00:00+02"))).as("a timestamp's time is dropped").contains("0001-04-01");
        assertThat(start.apply(Optional.of("0001-05-01"))).as("already year 1").contains("0001-05-01");
        assertThat(start.apply(Optional.of("2024-02-29"))).as("year 1 has no 29 February: the 28th").contains("0001-02-28");
        assertThat(start.apply(Optional.empty())).isEmpty();
        assertThat(start.apply(Optional.of("midsommer"))).as("no date: passes unchanged for GeoFA to refuse").contains("midsommer");
    }

    @Test
    void dayMonthValuesPassGeofasYearOneCheck() {
        ColumnMapping slut = MappingText.load(POINTS).table("vk.punkter").orElseThrow().columnFromVk("saeson_slut").orElseThrow();
        FkgColumn target = geofaColumn("t_5800_fac_pkt", "saeson_sl");

        assertThat(ValueCheck.check(FkgCatalogue.standard(), target, "2024-09-30")).as("VK's own year is refused").isPresent();
        assertThat(ValueCheck.check(FkgCatalogue.standard(), target, slut.apply(Optional.of("2024-09-30")).orElseThrow())).isEmpty();
        assertThat(ValueCheck.check(FkgCatalogue.standard(), target, slut.apply(Optional.of("2024-02-29")).orElseThrow())).isEmpty();
    }

    @Test
    void dayMonthOnlyFeedsDateColumns() {
        assertThat(MappingText.problemsOf(POINTS.replace("      navn:\n", "      navn: { transform: [day_month] }\n")))
                .contains("table vk.punkter, column navn: transform day_month cannot feed GeoFA column navn: day_month makes a date, "
                        + "and GeoFA's column is varchar");
        // t_5802_fac_li keeps its season as text, not as a date
        assertThat(MappingText.problemsOf(ROUTES.replace("      kvalitet_k:\n", "      kvalitet_k:\n      saeson_st: { transform: [day_month] }\n")))
                .contains("column saeson_st: transform day_month cannot feed GeoFA column saeson_st");
    }

    @Test
    void transformsRunInTheirOrderBeforeTheValueMap() {
        ColumnMapping navn = new ColumnMapping("navn", "navn", java.util.List.of(Transform.TRIM, Transform.UPPER, Transform.EMPTY_AS_NULL),
                java.util.Map.of("WC", "Toilet"));

        assertThat(navn.apply(Optional.of("  wc "))).contains("Toilet");
        assertThat(navn.apply(Optional.of("  bænk "))).contains("BÆNK");
        assertThat(navn.apply(Optional.of("   "))).isEmpty();
        assertThat(Transform.fromConfigName("day_month")).contains(Transform.DAY_MONTH);
    }
}
