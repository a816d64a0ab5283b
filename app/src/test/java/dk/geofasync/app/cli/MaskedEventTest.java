package dk.geofasync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.sandbox.vk.SampleVk;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code dead-letters show} prints of a letter's event: personal values never. */
class MaskedEventTest {

    static final TableMapping POINTS = SampleVk.vejleMapping().table("vk.facilitet_punkt").orElseThrow();
    static final String EVENT = "{\"schema\":\"geofa-sync.change\",\"version\":1,\"row_key\":\"7\","
            + "\"old\":{\"kontak_ved\":\"Jens Hansen 20304050\"},\"new\":{\"navn\":\"Shelter\",\"kontak_ved\":\"Jens Hansen 20304050\",\"note\":null}}";

    @Test
    void sensitiveColumnsAreMaskedOnBothSidesAndTheRestShown() {
        String shown = MaskedEvent.of(EVENT, Optional.of(POINTS));

        assertThat(shown).doesNotContain("Jens").contains("\"navn\":\"Shelter\"", "\"kontak_ved\":\"***\"", "\"note\":null");
    }

    @Test
    void withoutTheTablesMappingNoValueIsShown() {
        assertThat(MaskedEvent.of(EVENT, Optional.empty())).doesNotContain("Jens", "Shelter").contains("\"row_key\":\"7\"");
        assertThat(MaskedEvent.of("{\"raw\":\"Jens Hansen \\u0000\"}", Optional.of(POINTS))).doesNotContain("Jens").contains("not shown");
    }
}
