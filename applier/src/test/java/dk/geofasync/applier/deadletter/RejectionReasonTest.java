package dk.geofasync.applier.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.sandbox.vk.SampleVk;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RejectionReasonTest {

    static final TableMapping POINTS = SampleVk.vejleMapping().table("vk.facilitet_punkt").orElseThrow();
    static final TableMapping AREAS = SampleVk.vejleMapping().table("vk.facilitet_flade").orElseThrow();

    @Test
    void codeListViolationNamesColumnValueAndList() {
        RejectionReason r = RejectionReason.explain("insert or update on table \"generel\" violates foreign key constraint "
                + "\"generel_d_basis_offentlig_fk\"\nDETAIL:  Key (off_kode)=(99) is not present in table \"d_basis_offentlig\".", POINTS, Map.of());

        assertThat(r.column()).contains("off_kode");
        assertThat(r.reason()).isEqualTo("off_kode = 99 is not a value of GeoFA's code list d_basis_offentlig");
    }

    @Test
    void missingMandatoryValueNamesTheColumn() {
        RejectionReason r = RejectionReason.explain("null value in column \"facil_ty_k\" of relation \"t_5800_fac_pkt_t\" violates not-null constraint",
                POINTS, Map.of());

        assertThat(r.column()).contains("facil_ty_k");
        assertThat(r.reason()).contains("required by GeoFA");
    }

    @Test
    void rangeViolationNamesTheRange() {
        RejectionReason r = RejectionReason.explain("new row for relation \"t_5800_fac_pkt_t\" violates check constraint "
                + "\"t_5800_fac_pkt_antal_pl_ck\"", POINTS, Map.of("antal_pl", "10000"));

        assertThat(r.column()).contains("antal_pl");
        assertThat(r.reason()).isEqualTo("antal_pl = 10000 is outside what GeoFA allows (it must be between 0 and 9999)");
    }

    @Test
    void tooLongTextIsFoundAmongTheSentValues() {
        RejectionReason r = RejectionReason.explain("value too long for type character varying(254)", POINTS, Map.of("navn", "x".repeat(300)));

        assertThat(r.column()).contains("navn");
        assertThat(r.reason()).isEqualTo("navn has 300 characters; GeoFA allows 254");
    }

    /** The texts below are PostgreSQL's own, from the FKG model (OpenFKG/fkg-postgresql 5fbed9b) installed locally. */
    @Test
    void codeListRefusalWithoutDetailLineIsNamedThroughTheCatalogue() {
        RejectionReason r = RejectionReason.explain("insert or update on table \"t_5800_fac_pkt_t\" violates foreign key constraint "
                + "\"t_5800_fac_pkt_d_5800_saeson_fk\"", POINTS, Map.of("saeson_k", "3"));

        assertThat(r.column()).contains("saeson_k");
        assertThat(r.reason()).isEqualTo("saeson_k = 3 is not a value of GeoFA's code list d_5800_saeson");
    }

    @Test
    void realModelsCheckConstraintNamesLeadToTheColumn() {
        RejectionReason range = RejectionReason.explain("new row for relation \"t_5800_fac_pkt_t\" violates check constraint \"t_5800_fac_pkt_antal_pl_ck\"",
                POINTS, Map.of("antal_pl", "-1"));
        RejectionReason season = RejectionReason.explain("new row for relation \"t_5801_fac_fl_t\" violates check constraint "
                + "\"t_5801_fac_fl_t_saeson_st_aar_skal_vaere_1_ck\"", AREAS, Map.of("saeson_st", "2024-05-01"));

        assertThat(range.column()).contains("antal_pl");
        assertThat(range.reason()).isEqualTo("antal_pl = -1 is outside what GeoFA allows (it must be between 0 and 9999)");
        assertThat(season.column()).contains("saeson_st");
        assertThat(season.reason()).contains("year 1");
        assertThat(RejectionReason.explain("new row for relation \"t_5800_fac_pkt_t\" violates check constraint \"some_rule_ck\"", POINTS, Map.of())
                .reason()).isEqualTo("GeoFA's rule some_rule_ck refused the object");
    }

    @Test
    void realModelsGeometryRefusalsNameTheGeometry() {
        RejectionReason srid = RejectionReason.explain("Geometry SRID (4326) does not match column SRID (25832)", POINTS, Map.of());

        assertThat(srid.column()).contains("geom");
        assertThat(srid.reason()).isEqualTo("the geometry is in EPSG:4326; GeoFA's theme holds EPSG:25832");
    }

    @Test
    void lengthIsCountedInCharactersAsPostgresqlCountsThem() {
        RejectionReason r = RejectionReason.explain("value too long for type character varying(254)", POINTS, Map.of("navn", "\uD83C\uDF32".repeat(300)));

        assertThat(r.reason()).isEqualTo("navn has 300 characters; GeoFA allows 254");
    }

    @Test
    void rangeViolationOfASensitiveColumnDoesNotRepeatItsValue() {
        RejectionReason r = RejectionReason.explain("new row for relation \"t_5800_fac_pkt_t\" violates check constraint "
                + "\"t_5800_fac_pkt_t_kontak_ved_check\"", POINTS, Map.of("kontak_ved", "Jens Hansen 20304050"));

        assertThat(r.reason()).startsWith("kontak_ved is outside").doesNotContain("Jens");
    }

    @Test
    void geometryTypeAndGeofenceNameTheGeometryColumnOfVk() {
        assertThat(RejectionReason.explain("Geometry type (Polygon) does not match column type (MultiPoint)", POINTS, Map.of()).column())
                .contains("geom");
        assertThat(RejectionReason.explain("LIMIT ERROR", POINTS, Map.of()).reason()).contains("outside the municipality");
    }

    @Test
    void unknownMessageIsPassedOn() {
        assertThat(RejectionReason.explain("something new\nwith detail", POINTS, Map.of()).reason())
                .isEqualTo("GeoFA refused the object: something new");
    }
}
