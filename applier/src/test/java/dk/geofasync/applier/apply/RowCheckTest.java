package dk.geofasync.applier.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.applier.deadletter.RejectionReason;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.ValueCheck;
import dk.geofasync.core.mapping.MappingLoader;
import dk.geofasync.core.mapping.TableMapping;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalogue's rules applied to a row as the applier would send it. */
class RowCheckTest {

    private static final TableMapping POINTS = MappingLoader.standard().load("test.yml", new ByteArrayInputStream("""
            constants: { cvr_kode: 29189900, bruger_id: test }
            tables:
              - table: vk.punkt
                theme: t_5800_fac_pkt
                key: id
                objekt_id: objekt_id
                sensitive: [antal_pl]
                columns:
                  geom: geometri
                  facil_ty_k:
                  statuskode:
                  oprindkode:
                  kvalitet_k:
                  antal_pl:
                  offentlig: { to: off_kode, transform: [trim, lower], values: { "ja": "1", "nej": "2" } }
            """.getBytes(StandardCharsets.UTF_8))).tables().get(0);

    private final RowCheck rules = new RowCheck(FkgCatalogue.standard());

    private static ColumnValues row(String... overrides) {
        Map<String, String> v = new HashMap<>(Map.of("geom", "{\"type\":\"Point\",\"coordinates\":[553000,6175000]}", "facil_ty_k", "1012",
                "statuskode", "3", "oprindkode", "7", "kvalitet_k", "1", "antal_pl", "6", "offentlig", "Ja "));
        for (int i = 0; i < overrides.length; i += 2) {
            v.put(overrides[i], overrides[i + 1]);
        }
        return ColumnValues.of(v);
    }

    @Test
    void valuesAreJudgedAsTheyWouldBeSentAfterTransformsAndValueMap() {
        assertThat(rules.ofCreate(POINTS, row())).as("'Ja ' is sent as 1").isEmpty();

        assertThat(rules.ofCreate(POINTS, row("offentlig", "måske"))).singleElement().satisfies(r -> {
            assertThat(r.vkColumn()).isEqualTo("offentlig");
            assertThat(r.geofaColumn()).isEqualTo("off_kode");
            assertThat(r.rule()).isEqualTo(ValueCheck.Rule.TYPE);
        });
    }

    @Test
    void createNeedsEveryRequiredValueUpdateOnlyWhatItSends() {
        assertThat(rules.ofCreate(POINTS, row("kvalitet_k", null, "geom", null))).extracting(RowCheck.Refusal::asRejection).containsExactly(
                new RejectionReason(Optional.of("geom"), "geometri is required by GeoFA but has no value"),
                new RejectionReason(Optional.of("kvalitet_k"), "kvalitet_k is required by GeoFA but has no value"));

        assertThat(rules.ofUpdate(POINTS, row("kvalitet_k", null, "antal_pl", "10000"), Set.of("facil_ty_k"))).as("not sent").isEmpty();
        assertThat(rules.ofUpdate(POINTS, row("kvalitet_k", null), Set.of("kvalitet_k"))).as("sent empty")
                .extracting(RowCheck.Refusal::rule).containsExactly(ValueCheck.Rule.REQUIRED);
    }

    @Test
    void letterReasonsReadAsGeofasOwnAndNameASensitiveColumnWithoutItsValue() {
        assertThat(rules.ofCreate(POINTS, row("facil_ty_k", "99999"))).extracting(r -> r.asRejection().reason())
                .containsExactly("facil_ty_k = 99999 is not a value of GeoFA's code list d_5800_facilitet");
        assertThat(rules.ofCreate(POINTS, row("antal_pl", "10000"))).extracting(r -> r.asRejection().reason())
                .containsExactly("antal_pl is outside what GeoFA allows (it must be between 0 and 9999)");
    }

    @Test
    void geometryOfTheWrongKindIsNamedWithItsVkColumn() {
        ColumnValues line = row("geom", "{\"type\":\"LineString\",\"coordinates\":[[553000,6175000],[553100,6175100]]}");

        assertThat(rules.ofCreate(POINTS, line)).isEmpty();
        assertThat(rules.ofGeometry(POINTS, line)).hasValueSatisfying(r -> {
            assertThat(r.vkColumn()).isEqualTo("geom");
            assertThat(r.rule()).isEqualTo(ValueCheck.Rule.GEOMETRY);
            assertThat(r.reason()).startsWith("the geometry is a LineString");
        });
    }
}
