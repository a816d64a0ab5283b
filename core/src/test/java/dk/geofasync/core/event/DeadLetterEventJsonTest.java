package dk.geofasync.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeadLetterEventJsonTest {

    static DeadLetterEvent refused() {
        return new DeadLetterEvent(12, DeadLetterEvent.Status.OPEN, "src:901", "vk.facilitet_punkt", "902", Optional.of("t_5800_fac_pkt"),
                Optional.empty(), Operation.INSERT, Optional.of("off_kode"), "off_kode = 99 is not a value of GeoFA's code list d_basis_offentlig",
                Optional.of("insert or update on table \"generel\" violates foreign key constraint \"generel_d_basis_offentlig_fk\""), 1,
                Instant.parse("2026-11-22T10:15:30Z"), Optional.empty());
    }

    @Test
    void letterSurvivesTheRoundTripWithAbsentValues() {
        assertThat(DeadLetterEventJson.read(DeadLetterEventJson.write(refused()))).isEqualTo(refused());

        DeadLetterEvent superseded = new DeadLetterEvent(13, DeadLetterEvent.Status.SUPERSEDED, "src:905", "vk.rute_linje", "8", Optional.empty(),
                Optional.of(UUID.fromString("8c2f0d0e-6a4b-11ef-9a3c-0242ac120002")), Operation.UPDATE, Optional.empty(), "why", Optional.empty(), 2,
                Instant.parse("2026-11-22T10:15:30Z"), Optional.of(Instant.parse("2026-11-22T11:00:00Z")));
        assertThat(DeadLetterEventJson.read(DeadLetterEventJson.write(superseded))).isEqualTo(superseded);
    }

    @Test
    void jsonNamesSchemaVersionAndStatusAndCarriesNoObjectValues() {
        String json = new String(DeadLetterEventJson.write(refused()), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"schema\":\"geofa-sync.dead-letter\",\"version\":1,\"letter_id\":12,\"status\":\"open\"")
                .contains("\"objekt_id\":null", "\"column\":\"off_kode\"").doesNotContain("payload", "new_values");
    }

    @Test
    void otherSchemaOrVersionIsMalformed() {
        assertThatThrownBy(() -> DeadLetterEventJson.read("{\"schema\":\"geofa-sync.reply\",\"version\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("geofa-sync.dead-letter");
        assertThatThrownBy(() -> DeadLetterEventJson.read("{\"schema\":\"geofa-sync.dead-letter\",\"version\":1,\"letter_id\":1,\"status\":\"open\"}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(MalformedEventException.class).hasMessageContaining("event_id is missing");
    }
}
