package dk.geofasync.app.initmapping;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.mapping.VkTable;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ColumnMatcherTest {

    private static final FkgTheme POINTS = FkgCatalogue.standard().theme("t_5800_fac_pkt").orElseThrow();
    private static final VkTable TABLE = new VkTable("vk", "t");

    private static VkColumn column(String name, String udt) {
        return new VkColumn(name, udt, FkgType.fromUdtName(udt), false);
    }

    private static VkColumn key(String name) {
        return new VkColumn(name, "int4", Optional.of(FkgType.INTEGER), true);
    }

    private static MappingProposal propose(VkColumn... columns) {
        return ColumnMatcher.propose(TABLE, POINTS, List.of(columns));
    }

    private static List<String> matched(MappingProposal p) {
        return p.columns().stream().map(m -> m.vkColumn() + "->" + m.geofaColumn() + " " + m.how()).toList();
    }

    @Test
    void sameNameWinsOverSpeltOtherwiseWhichWinsOverClose() {
        MappingProposal p = propose(key("id"), column("navn", "varchar"), column("NAVN_UK", "varchar"), column("handikap", "int4"),
                column("doegnaab_k", "int4"));

        assertThat(matched(p)).containsExactly("navn->navn SAME_NAME", "NAVN_UK->navn_uk SAME_NAME_SPELT_OTHERWISE",
                "handikap->handicap_k CLOSE_NAME", "doegnaab_k->doegnaab_k SAME_NAME");
    }

    @Test
    void aCloseNameOfTheSameKindOfValueBeatsACloserNameOfAnotherKind() {
        // the integer handikap is the code (handicap_k); the text one is the label GeoFA derives (handicap)
        assertThat(matched(propose(key("id"), column("handikap", "int4")))).containsExactly("handikap->handicap_k CLOSE_NAME");
        MappingProposal label = propose(key("id"), column("handikap", "text"));
        assertThat(label.columns()).isEmpty();
        assertThat(label.unmatched()).singleElement().satisfies(u -> assertThat(u.reason())
                .isEqualTo("GeoFA derives handicap from handicap_k; map the VK column holding that code to handicap_k "
                        + "(it can come back into VK under write_back)"));
    }

    @Test
    void aCloseNameOfAnIncompatibleTypeIsNoMatch() {
        MappingProposal p = propose(key("id"), column("antal_p", "date"));

        assertThat(p.columns()).isEmpty();
        assertThat(p.unmatched()).extracting(MappingProposal.Unmatched::vkColumn).containsExactly("antal_p");
    }

    @Test
    void aNameEquallyCloseToTwoFreeColumnsIsLeftForAPersonToChoose() {
        MappingProposal p = propose(key("id"), column("link4", "varchar"));

        assertThat(p.columns()).isEmpty();
        assertThat(p.unmatched()).singleElement().satisfies(u -> assertThat(u.reason()).startsWith("as close to link").endsWith("; choose one"));
    }

    @Test
    void serverColumnsAndNoegleAreNeverTargets() {
        MappingProposal p = propose(key("id"), column("versions_id", "uuid"), column("oprettet", "timestamptz"), column("noegle", "varchar"));

        assertThat(p.columns()).isEmpty();
        assertThat(p.unmatched()).extracting(MappingProposal.Unmatched::reason).containsExactly(
                "GeoFA sets versions_id itself (it can come back into VK under write_back)",
                "GeoFA sets oprettet itself (it can come back into VK under write_back)",
                "GeoFA's noegle holds geofa-sync's correlation key; no VK column may fill it");
    }

    @Test
    void keyObjektIdAndGeometryAreFoundByTypeAndName() {
        MappingProposal p = propose(key("fid"), column("geofa_objektid", "uuid"), column("shape", "geometry"), column("geom", "geometry"),
                column("navn", "varchar"));

        assertThat(p.key()).contains("fid");
        assertThat(p.objektIdColumn()).isEqualTo("geofa_objektid");
        assertThat(p.objektIdColumnExists()).isTrue();
        assertThat(matched(p)).containsExactly("geom->geometri GEOMETRY", "navn->navn SAME_NAME");
        assertThat(p.unmatched()).singleElement().satisfies(u -> assertThat(u.vkColumn()).isEqualTo("shape"));
        assertThat(p.missingRequired()).extracting(c -> c.name())
                .containsExactly("cvr_kode", "bruger_id", "oprindkode", "statuskode", "off_kode", "facil_ty_k", "kvalitet_k");
    }

    @Test
    void withoutObjektIdColumnAFreeNameIsProposedToAdd() {
        assertThat(propose(key("id"), column("navn", "varchar")).objektIdColumn()).isEqualTo("objekt_id");
        MappingProposal taken = propose(key("id"), column("objekt_id", "int4"));
        assertThat(taken.objektIdColumnExists()).as("not a uuid, but named so: used").isTrue();
        assertThat(propose(key("objekt_id")).objektIdColumn()).as("the key may not receive it").isEqualTo("geofa_objekt_id");
    }

    @Test
    void danishLettersSpeltOutCountAsTheSameName() {
        assertThat(SimilarNames.normalise("Døgnåb_K")).isEqualTo("doegnaabk");
        assertThat(SimilarNames.distance("handikap", "handicapk")).isEqualTo(2);
        assertThat(SimilarNames.distance("ab", "ba")).isEqualTo(1);
    }
}
