package dk.geofasync.core.fkg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FkgCatalogueTest {

    private final FkgCatalogue catalogue = FkgCatalogue.standard();

    @Test
    void knowsTheThreeFacilityThemesWithTheirGeometryTypes() {
        assertThat(catalogue.themes()).extracting(FkgTheme::name, FkgTheme::temakode, FkgTheme::geometryType)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("t_5800_fac_pkt", 5800, GeometryType.MULTI_POINT),
                        org.assertj.core.groups.Tuple.tuple("t_5801_fac_fl", 5801, GeometryType.MULTI_POLYGON),
                        org.assertj.core.groups.Tuple.tuple("t_5802_fac_li", 5802, GeometryType.MULTI_LINE_STRING));
    }

    @Test
    void describesColumnsAsGeofaDefinesThem() {
        FkgTheme points = catalogue.theme("t_5800_fac_pkt").orElseThrow();

        assertThat(points.requiredColumns()).extracting(FkgColumn::name)
                .containsExactlyInAnyOrder("cvr_kode", "bruger_id", "oprindkode", "statuskode", "off_kode", "facil_ty_k", "geometri");
        assertThat(points.column("navn").orElseThrow().sqlType()).isEqualTo("varchar(254)");
        assertThat(points.column("objekt_id").orElseThrow().access()).isEqualTo(ColumnAccess.SERVER);
        assertThat(points.column("temanavn").orElseThrow().writable()).isFalse();
        assertThat(points.column("off_kode").orElseThrow().codeList()).contains("d_basis_offentlig");
        assertThat(points.column("antal_pl").orElseThrow().range()).contains(new IntRange(0, 9999));
        assertThat(catalogue.theme("t_5802_fac_li").orElseThrow().column("rute_ty_k").orElseThrow().required()).isTrue();
    }
}
