package dk.geofasync.applier.geofa;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowValuesTest {

    @Test
    void failingRowIsWithheldWithEverythingAfterItButTheConstraintStays() {
        String message = "new row for relation \"t_5800_fac_pkt_t\" violates check constraint \"t_5800_fac_pkt_antal_pl_ck\"\n"
                + "DETAIL:  Failing row contains (7, Shelter, Jens Hansen\ntlf. 20 30 40 50, -1).";

        assertThat(RowValues.withheld(message))
                .isEqualTo("new row for relation \"t_5800_fac_pkt_t\" violates check constraint \"t_5800_fac_pkt_antal_pl_ck\"\n"
                        + "DETAIL:  " + RowValues.WITHHELD);
    }

    @Test
    void duplicateKeyAndInvalidInputDoNotRepeatTheValue() {
        assertThat(RowValues.withheld("duplicate key value violates unique constraint \"x_uk\"\nDETAIL:  Key (kontak_ved)=(Jens 20304050) already exists."))
                .doesNotContain("Jens").contains("Key (kontak_ved)=(value withheld) already exists");
        assertThat(RowValues.withheld("invalid input syntax for type integer: \"Jens 20304050\""))
                .isEqualTo("invalid input syntax for type integer: (value withheld)");
    }

    @Test
    void messagesWithoutTheRowAreLeftAlone() {
        String codeList = "insert or update on table \"generel\" violates foreign key constraint \"generel_d_basis_offentlig_fk\"\n"
                + "DETAIL:  Key (off_kode)=(99) is not present in table \"d_basis_offentlig\".";

        assertThat(RowValues.withheld(codeList)).isEqualTo(codeList);
    }
}
