package dk.geofasync.app.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.fkg.GeometryType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Meta in GC2's two shapes (mapcentia/geocloud2 {@code app/api/v3/Meta.php} until 2026,
 * {@code app/api/v4/controllers/Meta.php} since); the fake GeoFA serves the first, so the second is
 * written out here as its source builds it.
 */
class GeofaMetaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsGc2sNewerShapeWithItsPrefixedSchemaFacts() throws Exception {
        JsonNode answer = JSON.readTree("""
                {"relations": {"fkg.t_5800_fac_pkt": {"title": "Facilitet", "_schema": "fkg", "_rel": "t_5800_fac_pkt",
                  "_geometry_column": "geometri", "_rel_type": "VIEW", "_geom_type": "MULTIPOINT", "_srid": 25832,
                  "fields": {"navn": {"alias": null, "_type": "character varying", "_character_maximum_length": 254, "_is_nullable": null},
                             "cvf_vejkode": {"_type": "character", "_character_maximum_length": null},
                             "geometri": {"_type": "geometry"}}}}}""");

        GeofaMeta.Relation view = GeofaMeta.relations(answer, "fkg").get(0);

        assertThat(view.name()).isEqualTo("t_5800_fac_pkt");
        assertThat(view.relType()).contains("VIEW");
        assertThat(view.geometry()).contains(GeometryType.MULTI_POINT);
        GeofaMeta.Column navn = view.column("navn").orElseThrow();
        assertThat(navn.type()).contains(FkgType.VARCHAR);
        assertThat(navn.length()).isEqualTo(OptionalInt.of(254));
        assertThat(navn.nullable()).as("a view's columns say nothing of NULL").isEmpty();
        assertThat(navn.references()).as("the newer shape drops references").isEmpty();
        assertThat(view.column("cvf_vejkode").orElseThrow().length()).as("char's limit is in no field of that shape").isEmpty();
    }

    @Test
    void readsGc2sOlderShapeInColumnOrder() throws Exception {
        JsonNode answer = JSON.readTree("""
                {"relations": {"fkg.t_5800_fac_pkt_t.geometri": {"f_table_schema": "fkg", "f_table_name": "t_5800_fac_pkt_t",
                  "f_geometry_column": "geometri", "type": "MULTIPOINT",
                  "fields": {"cvf_vejkode": {"num": 3, "type": "character", "typname": "bpchar", "full_type": "character(7)",
                                             "character_maximum_length": null, "is_nullable": true, "reference": null},
                             "facil_ty_k": {"num": 2, "type": "integer", "typname": "int4", "is_nullable": false,
                                            "reference": ["fkg.d_5800_facilitet.facil_ty_k"]}}},
                  "fkg.t_7900_fotoforbindelse.gc2_non_postgis": {"f_table_schema": "fkg", "f_table_name": "t_7900_fotoforbindelse",
                  "f_geometry_column": "gc2_non_postgis", "type": null, "fields": {}}}, "_execution_time": 0.2}""");

        List<GeofaMeta.Relation> relations = GeofaMeta.relations(answer, "fkg");

        GeofaMeta.Relation table = relations.get(0);
        assertThat(table.columns()).extracting(GeofaMeta.Column::name).containsExactly("facil_ty_k", "cvf_vejkode");
        assertThat(table.columns().get(0).nullable()).contains(false);
        assertThat(table.columns().get(0).references()).contains(List.of("fkg.d_5800_facilitet.facil_ty_k"));
        assertThat(table.columns().get(1).references()).contains(List.of());
        assertThat(table.columns().get(1).length()).isEqualTo(OptionalInt.of(7));
        assertThat(relations.get(1).geometry()).isEqualTo(Optional.of(GeometryType.NONE));
    }

    @Test
    void nothingFoundIsAnEmptyList() throws Exception {
        assertThat(GeofaMeta.relations(JSON.readTree("{\"relations\": []}"), "fkg")).isEmpty();
    }
}
