package dk.geofasync.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeEventJsonTest {

    static ChangeEvent update() {
        Map<String, String> after = new HashMap<>();
        after.put("navn", "Nyt navn");
        after.put("antal_pl", null);
        after.put("geom", "{\"type\":\"Point\",\"coordinates\":[552000,6174000]}");
        return new ChangeEvent("src:42", 42, "7781", "vk.facilitet_punkt", "7", Operation.UPDATE, Instant.parse("2026-11-22T10:15:30Z"),
                ColumnValues.of(Map.of("navn", "Gammelt navn")), ColumnValues.of(after));
    }

    @Test
    void eventSurvivesTheRoundTripWithNullsKept() {
        ChangeEvent read = ChangeEventJson.read(ChangeEventJson.write(update()));

        assertThat(read).isEqualTo(update());
        assertThat(read.newValues().has("antal_pl")).isTrue();
        assertThat(read.newValues().value("antal_pl")).isEmpty();
        assertThat(read.changedColumns()).containsExactly("navn");
        assertThat(read.objectKey()).isEqualTo("vk.facilitet_punkt:7");
    }

    @Test
    void jsonNamesSchemaAndVersion() {
        String json = new String(ChangeEventJson.write(update()), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"schema\":\"geofa-sync.change\",\"version\":1,\"event_id\":\"src:42\"");
    }

    @Test
    void nulCharacterAnywhereIsMalformed() {
        String json = new String(ChangeEventJson.write(update()), StandardCharsets.UTF_8);
        String inKey = json.replace("\"row_key\":\"", "\"row_key\":\"\\u0000");
        String inValue = json.replace("\"new\":{", "\"new\":{\"note\":\"a\\u0000b\",");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChangeEventJson.read(inKey.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("row_key holds a NUL");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChangeEventJson.read(inValue.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("column note in new holds a NUL");
    }

    @Test
    void withheldColumnsTravelAsNamesOnlyInVersionTwo() {
        Map<String, String> after = new HashMap<>();
        after.put("navn", "Nyt navn");
        after.put("kontak_ved", null);
        ChangeEvent withheld = new ChangeEvent("src:43", 43, "7782", "vk.facilitet_punkt", "8", Operation.UPDATE, Instant.parse("2026-11-22T10:15:30Z"),
                ColumnValues.of(Map.of("navn", "Gammelt navn")), ColumnValues.of(after), java.util.Set.of("kontak_ved"));

        String json = new String(ChangeEventJson.write(withheld), StandardCharsets.UTF_8);

        assertThat(json).contains("\"version\":2").contains("\"withheld\":[\"kontak_ved\"]").contains("\"kontak_ved\":null");
        assertThat(ChangeEventJson.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(withheld);
        assertThat(new String(ChangeEventJson.write(update()), StandardCharsets.UTF_8)).as("nothing withheld: readable by version 1 readers")
                .contains("\"version\":1").doesNotContain("withheld");
    }

    @Test
    void unknownVersionOrGarbageIsMalformedWithTheReason() {
        String newer = new String(ChangeEventJson.write(update()), StandardCharsets.UTF_8).replace("\"version\":1", "\"version\":3");

        assertThatThrownBy(() -> ChangeEventJson.read(newer.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("version 3 is not understood");
        assertThatThrownBy(() -> ChangeEventJson.read("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ChangeEventJson.read(new String(ChangeEventJson.write(update()), StandardCharsets.UTF_8)
                .replace("\"op\":\"U\"", "\"op\":\"X\"").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unknown operation code 'X'");
    }
}
