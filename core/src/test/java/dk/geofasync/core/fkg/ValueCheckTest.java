package dk.geofasync.core.fkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValueCheckTest {

    private final FkgCatalogue catalogue = FkgCatalogue.standard();
    private final FkgTheme points = catalogue.theme("t_5800_fac_pkt").orElseThrow();
    private final FkgTheme routes = catalogue.theme("t_5802_fac_li").orElseThrow();

    private Optional<ValueCheck.Problem> check(FkgTheme theme, String column, String value) {
        return ValueCheck.check(catalogue, theme.column(column).orElseThrow(), value);
    }

    @Test
    void acceptsValuesTheRealModelTakes() {
        assertThat(check(points, "facil_ty_k", "1061")).isEmpty();
        assertThat(check(points, "saeson_st", "0001-05-01")).isEmpty();
        assertThat(check(points, "antal_pl", "9999")).isEmpty();
        assertThat(check(routes, "laengde", "12.5")).isEmpty();
        assertThat(check(routes, "straekn_nr", "A-12")).isEmpty();
    }

    @Test
    void refusesACodeOutsideItsCodeListNamingTheList() {
        assertThat(check(points, "saeson_k", "3")).hasValueSatisfying(p -> {
            assertThat(p.rule()).isEqualTo(ValueCheck.Rule.CODE_LIST);
            assertThat(p.reason()).contains("d_5800_saeson");
            assertThat(p.constraint()).contains("t_5800_fac_pkt_d_5800_saeson_fk");
        });
    }

    @Test
    void refusesAValueOutsideACheckInPlainWords() {
        assertThat(check(routes, "laengde", "1200")).hasValueSatisfying(p -> {
            assertThat(p.rule()).isEqualTo(ValueCheck.Rule.CHECK);
            assertThat(p.reason()).isEqualTo("must be between 0.1 and 500.99");
        });
        assertThat(check(points, "antal_pl", "-1")).map(ValueCheck.Problem::rule).contains(ValueCheck.Rule.CHECK);
    }

    @Test
    void refusesADateOutsideYearOne() {
        assertThat(check(points, "saeson_st", "2024-05-01")).hasValueSatisfying(p -> {
            assertThat(p.constraint()).contains("t_5800_fac_pkt_saeson_st_aar_skal_vaere_1_ck");
            assertThat(p.reason()).contains("year 1");
        });
    }

    @Test
    void refusesTooLongTextAndWrongTypes() {
        assertThat(check(routes, "navndels", "x".repeat(129))).map(ValueCheck.Problem::rule).contains(ValueCheck.Rule.LENGTH);
        assertThat(check(points, "antal_pl", "many")).map(ValueCheck.Problem::rule).contains(ValueCheck.Rule.TYPE);
        assertThat(check(points, "antal_pl", "2.5")).map(ValueCheck.Problem::rule).contains(ValueCheck.Rule.TYPE);
        assertThat(check(points, "saeson_st", "1/5")).map(ValueCheck.Problem::rule).contains(ValueCheck.Rule.TYPE);
        assertThat(check(points, "adr_id", "not-a-uuid")).map(ValueCheck.Problem::rule).contains(ValueCheck.Rule.TYPE);
    }

    @Test
    void judgesTimeRangesAndLeavesToGeofaWhatItCannotRead() {
        FkgTheme plots = catalogue.theme("t_5707_grunds").orElseThrow();

        assertThat(check(plots, "budfrist_slut", "2024-05-01 12:00:00+02")).isEmpty();
        assertThat(check(plots, "budfrist_slut", "2005-01-01 00:00:00+00")).map(ValueCheck.Problem::rule).contains(ValueCheck.Rule.CHECK);
        assertThat(check(plots, "budfrist_slut", "i morgen")).isEmpty();
    }

    @Test
    void aCodeListTheModelShipsEmptyIsLeftToGeofa() {
        assertThat(check(points, "vejkode", "1234")).isEmpty();
    }

    @Test
    void reasonsNeverHoldTheValue() {
        assertThat(check(routes, "kontak_ved", "Anne Jensen ".repeat(20)).orElseThrow().reason()).doesNotContain("Anne");
    }
}
