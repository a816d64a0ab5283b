package dk.geofasync.applier.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.core.mapping.VkTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeofaStatementsTest {

    private static TableMapping points(Map<String, String> writeBack) {
        return new TableMapping(new VkTable("vk", "p"), FkgCatalogue.standard().theme("t_5800_fac_pkt").orElseThrow(), "id", "objekt_id",
                List.of(ColumnMapping.direct("navn", "navn")), Map.of(), Set.of(), writeBack);
    }

    @Test
    void writeBackColumnsGeofaSetsAreAskedForInTheReturningClauseAndDerivedOnesAfterwards() {
        Map<String, String> writeBack = new LinkedHashMap<>();
        writeBack.put("versions_id", "geofa_versions_id");
        writeBack.put("oprettet", "geofa_oprettet");
        writeBack.put("status", "geofa_status");
        writeBack.put("noegle", "geofa_noegle");
        GeofaStatements statements = new GeofaStatements(points(writeBack));

        assertThat(statements.insert()).endsWith(" returning objekt_id, versions_id, noegle, oprettet");
        assertThat(statements.update(List.of("navn"))).endsWith(" returning versions_id, oprettet, noegle");
        assertThat(statements.derivedWriteBack()).containsExactly("status");
        assertThat(statements.readBack()).startsWith("select objekt_id, status from fkg.t_5800_fac_pkt where objekt_id in");
        assertThat(statements.lookupAll()).as("the view's row holds derived values too")
                .startsWith("select objekt_id, versions_id, noegle, oprettet, status from fkg.t_5800_fac_pkt");
    }

    @Test
    void withoutWriteBackTheStatementsAreAsBefore() {
        GeofaStatements statements = new GeofaStatements(points(Map.of()));

        assertThat(statements.insert()).contains(" where not exists (select 1 from fkg.t_5800_fac_pkt as t where t.noegle = r.v->>'noegle')")
                .endsWith(" returning objekt_id, versions_id, noegle");
        assertThat(statements.update(List.of("navn"))).contains(" where objekt_id = :objekt_id and versions_id = coalesce(").endsWith(" returning versions_id");
        assertThat(statements.lookupAll()).startsWith("select objekt_id, versions_id, noegle from");
    }

    @Test
    void theExistenceCheckAndTheLookUpOfACreateAreThisMunicipalitysOnly() {
        GeofaStatements statements = new GeofaStatements(new TableMapping(new VkTable("vk", "p"), FkgCatalogue.standard().theme("t_5800_fac_pkt").orElseThrow(),
                "id", "objekt_id", List.of(ColumnMapping.direct("navn", "navn")), Map.of("cvr_kode", "29189900"), Set.of(), Map.of()));

        assertThat(statements.insert()).contains("where t.noegle = r.v->>'noegle' and t.cvr_kode = cast(r.v->>'cvr_kode' as integer))");
        assertThat(statements.lookupAll()).endsWith(" and cvr_kode = cast(:cvr_kode as integer)");
        assertThat(statements.lookupParams("[]")).containsEntry("cvr_kode", "29189900");
        assertThat(statements.lockParams("[]")).containsEntry("cvr_kode", "29189900");
        assertThat(new GeofaStatements(points(Map.of())).lookupParams("[]")).as("only the parameters the statement names").containsOnlyKeys("noegler");
    }

    @Test
    void lostUpdatesAreComparedInEachColumnsTypeWithoutCuttingLongValues() {
        String sql = new GeofaStatements(points(Map.of())).differingAll(List.of("navn", "antal_pl", "geometri"));

        assertThat(sql).contains("(t.navn is distinct from cast(r.v->>'navn' as varchar)) as differs_navn")
                .contains("(t.antal_pl is distinct from cast(r.v->>'antal_pl' as integer)) as differs_antal_pl")
                .contains("(t.geometri is distinct from st_multi(st_geomfromgeojson(r.v->>'geometri'))) as differs_geometri")
                .contains("join json_array_elements(cast(:rows as json)) as r(v) on t.objekt_id = cast(r.v->>'objekt_id' as uuid)");
    }
}
