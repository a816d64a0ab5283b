package dk.geofasync.core.fkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FkgCatalogueTest {

    private final FkgCatalogue catalogue = FkgCatalogue.standard();

    @Test
    void holdsEveryThemeOfTheRealModelWithItsSource() {
        assertThat(catalogue.themes()).hasSize(91);
        assertThat(catalogue.themes().get(0).name()).isEqualTo("t_5000_vandl");
        assertThat(catalogue.theme("t_7901_foto").orElseThrow().geometryType()).isEqualTo(GeometryType.POINT);
        assertThat(catalogue.theme("t_7900_fotoforbindelse").orElseThrow().geometryType()).isEqualTo(GeometryType.NONE);
        assertThat(catalogue.theme("t_5802_fac_li").orElseThrow().geometryType()).isEqualTo(GeometryType.MULTI_LINE_STRING);
        assertThat(catalogue.source().model()).isEqualTo("OpenFKG/fkg-postgresql");
        assertThat(catalogue.source().revision()).isEqualTo("5fbed9b8330de676f330dd6902a50e592c3bb75b");
    }

    @Test
    void describesColumnsAsTheRealModelDefinesThem() {
        FkgTheme points = catalogue.theme("t_5800_fac_pkt").orElseThrow();

        assertThat(points.requiredColumns()).extracting(FkgColumn::name).containsExactlyInAnyOrder(
                "cvr_kode", "bruger_id", "oprindkode", "statuskode", "off_kode", "facil_ty_k", "kvalitet_k", "geometri");
        assertThat(points.column("navn").orElseThrow().sqlType()).isEqualTo("varchar(254)");
        assertThat(points.column("objekt_id").orElseThrow().access()).isEqualTo(ColumnAccess.SERVER);
        assertThat(points.column("temanavn").orElseThrow().writable()).isFalse();
        assertThat(points.column("off_kode").orElseThrow().codeList()).contains("d_basis_offentlig");
        assertThat(points.column("off_kode").orElseThrow().foreignKey()).contains("generel_d_basis_offentlig_fk");
        FkgTheme routes = catalogue.theme("t_5802_fac_li").orElseThrow();
        assertThat(routes.column("straekn_nr").orElseThrow().sqlType()).isEqualTo("varchar(128)");
        assertThat(routes.column("saeson_st").orElseThrow().sqlType()).isEqualTo("varchar(25)");
        assertThat(routes.column("laengde").orElseThrow().type()).isEqualTo(FkgType.DOUBLE);
    }

    @Test
    void knowsDerivedColumnsAndWhatTheyAreDerivedFrom() {
        FkgColumn handikap = catalogue.theme("t_5802_fac_li").orElseThrow().column("handikap").orElseThrow();

        assertThat(handikap.access()).isEqualTo(ColumnAccess.DERIVED);
        assertThat(handikap.derivedFrom()).contains("handicap_k");
    }

    @Test
    void readsTheChecksRulesFromTheirSql() {
        FkgColumn laengde = catalogue.theme("t_5802_fac_li").orElseThrow().column("laengde").orElseThrow();
        FkgColumn saesonSt = catalogue.theme("t_5801_fac_fl").orElseThrow().column("saeson_st").orElseThrow();

        assertThat(laengde.checks()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("t_5802_fac_li_laengde_ck");
            assertThat(c.rule()).isEqualTo(new FkgCheck.Range(Optional.of("0.1"), Optional.of("500.99")));
        });
        assertThat(saesonSt.checks()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("t_5801_fac_fl_t_saeson_st_aar_skal_vaere_1_ck");
            assertThat(c.rule()).isEqualTo(new FkgCheck.Year(1));
        });
        assertThat(catalogue.themes().stream().flatMap(t -> t.columns().stream()).flatMap(c -> c.checks().stream())
                .filter(c -> c.rule() instanceof FkgCheck.Opaque)).isEmpty();
    }

    @Test
    void parsesTheCheckShapesOfTheModel() {
        assertThat(FkgCheck.of("a", "CHECK (((kote >= ('-999.99'::numeric)::double precision) AND (kote <= (999.99)::double precision)))").rule())
                .isEqualTo(new FkgCheck.Range(Optional.of("-999.99"), Optional.of("999.99")));
        assertThat(FkgCheck.of("b", "CHECK (((anlaegsaar >= '1900-01-01'::date) AND (anlaegsaar <= '2100-12-31'::date)))").rule())
                .isEqualTo(new FkgCheck.Range(Optional.of("1900-01-01"), Optional.of("2100-12-31")));
        assertThat(FkgCheck.of("c", "CHECK ((primaer_kode = ANY (ARRAY[0, 1])))").rule()).isEqualTo(new FkgCheck.OneOf(java.util.List.of("0", "1")));
        assertThat(FkgCheck.of("d", "CHECK ((navn <> ''::text))").rule()).isInstanceOf(FkgCheck.Opaque.class);
    }

    @Test
    void holdsTheRealCodeLists() {
        FkgCodeList facilities = catalogue.codeList("d_5800_facilitet").orElseThrow();

        assertThat(facilities.codes()).hasSizeGreaterThan(100);
        assertThat(facilities.find("1061").map(FkgCode::label)).contains("Blå Flag strand");
        assertThat(facilities.contains("01012")).isTrue();
        assertThat(catalogue.codeList("d_5800_saeson").orElseThrow().codes()).extracting(FkgCode::code)
                .containsExactly("1", "2", "7", "8", "9");
    }

    @Test
    void writesWhatItReads() throws Exception {
        StringWriter out = new StringWriter();
        catalogue.write(out);

        FkgCatalogue again = FkgCatalogue.read("test", new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)));

        assertThat(again.themes()).isEqualTo(catalogue.themes());
        assertThat(again.codeLists()).extracting(FkgCodeList::codes).isEqualTo(catalogue.codeLists().stream().map(FkgCodeList::codes).toList());
        assertThat(again.source()).isEqualTo(catalogue.source());
    }
}
