package dk.geofasync.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplyJsonTest {

    private static final UUID OBJEKT = UUID.fromString("0f9e2c5e-0000-11ef-8000-000000000001");
    private static final UUID VERSION = UUID.fromString("0f9e2c5e-0000-11ef-8000-000000000002");

    @Test
    void writeBackValuesSurviveTheRoundTripWithNullsKept() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("oprettet", "2026-12-02 00:45:42.123+00");
        values.put("kommunekode", null);
        Reply reply = new Reply("vk.facilitet_punkt", "7", OBJEKT, VERSION, ColumnValues.of(values));

        Reply read = ReplyJson.read(ReplyJson.write(reply));

        assertThat(read).isEqualTo(reply);
        assertThat(read.geofaValues().has("kommunekode")).isTrue();
        assertThat(read.geofaValues().value("kommunekode")).isEmpty();
    }

    @Test
    void aReplyWithoutValuesAsEarlierVersionsWroteItReadsAsOneWithNone() {
        String earlier = "{\"schema\":\"geofa-sync.reply\",\"version\":1,\"source_table\":\"vk.facilitet_punkt\",\"row_key\":\"7\","
                + "\"objekt_id\":\"" + OBJEKT + "\",\"versions_id\":\"" + VERSION + "\"}";

        Reply read = ReplyJson.read(earlier.getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(new Reply("vk.facilitet_punkt", "7", OBJEKT, VERSION));
        assertThat(read.geofaValues().isEmpty()).isTrue();
        assertThat(new String(ReplyJson.write(read), StandardCharsets.UTF_8)).as("and is written as before").isEqualTo(earlier);
    }

    @Test
    void valuesThatAreNoObjectAreRefused() {
        String bad = "{\"schema\":\"geofa-sync.reply\",\"version\":1,\"source_table\":\"vk.t\",\"row_key\":\"7\",\"objekt_id\":\"" + OBJEKT
                + "\",\"values\":[1]}";

        assertThatThrownBy(() -> ReplyJson.read(bad.getBytes(StandardCharsets.UTF_8))).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("'values' must be an object");
    }
}
