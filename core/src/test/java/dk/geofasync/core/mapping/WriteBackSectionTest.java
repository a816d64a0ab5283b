package dk.geofasync.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteBackSectionTest {

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
                write_back:
                  versions_id: geofa_versions_id
                  oprettet: geofa_oprettet
                  systid_fra: geofa_systid_fra
                  kommunekode:
            """;



    @Test
    void geofasColumnsGoToVkColumnsInTheFilesOrderAndAnEmptyOneKeepsTheName() {
        TableMapping points = MappingText.load(POINTS).table("vk.punkter").orElseThrow();

        assertThat(points.writeBack()).containsExactly(java.util.Map.entry("versions_id", "geofa_versions_id"),
                java.util.Map.entry("oprettet", "geofa_oprettet"), java.util.Map.entry("systid_fra", "geofa_systid_fra"),
                java.util.Map.entry("kommunekode", "kommunekode"));
        assertThat(points.writtenBackVkColumns()).containsExactly("geofa_versions_id", "geofa_oprettet", "geofa_systid_fra", "kommunekode");
        assertThat(points.syncedVkColumns()).as("written-back columns are not synced").doesNotContain("geofa_versions_id", "kommunekode");
    }

    @Test
    void withoutTheSectionNothingButTheObjektIdIsWrittenBack() {
        assertThat(MappingText.load(POINTS.substring(0, POINTS.indexOf("    write_back:"))).table("vk.punkter").orElseThrow().writeBack()).isEmpty();
    }

    @Test
    void everyWrongEntryIsNamed() {
        String message = MappingText.problemsOf(POINTS.replace("      kommunekode:\n", """
                      kommunekode:
                      findes_ikke: x
                      geometri: geofa_geom
                      objekt_id: geofa_id
                      status: navn
                      cvr_navn: id
                      offentlig: objekt_id
                      bruger_id: geofa_oprettet
                      temanavn: "1x"
                      note: [a, b]
                """));

        assertThat(message).contains(
                "table vk.punkter, column findes_ikke: write_back: GeoFA theme t_5800_fac_pkt has no column 'findes_ikke'",
                "column geometri: write_back: the geometry comes from VK",
                "column objekt_id: write_back: objekt_id goes into the objekt_id column (objekt_id) already",
                "column navn: write_back of GeoFA's status: VK column navn is synced to GeoFA",
                "column id: write_back of GeoFA's cvr_navn: VK column id is the key",
                "column objekt_id: write_back of GeoFA's offentlig: VK column objekt_id receives the objekt_id",
                "column geofa_oprettet: write_back: VK column geofa_oprettet already receives GeoFA's oprettet",
                "column 1x: write_back of GeoFA's temanavn: not a valid VK column name",
                "column note: write_back: write the VK column that receives GeoFA's note");
    }

    @Test
    void aSensitiveColumnIsNotWrittenBackOverTheRepliesTopic() {
        String message = MappingText.problemsOf(POINTS.replace("    columns:\n", "    sensitive: [kontak_ved]\n    columns:\n")
                .replace("      kommunekode:\n", "      kommunekode:\n      kontak_ved: geofa_kontakt\n"));

        assertThat(message).contains("column kontak_ved: write_back: kontak_ved is listed as sensitive (personal data)");
    }

    @Test
    void aMisspeltSectionNameIsRefused() {
        assertThat(MappingText.problemsOf(POINTS.replace("write_back:", "writeback:"))).contains("writeback");
    }
}
