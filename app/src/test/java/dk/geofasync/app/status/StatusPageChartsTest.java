package dk.geofasync.app.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status page's charts and its first-things list, from fixed figures (no database). */
class StatusPageChartsTest {

    static Activity activity() {
        List<Long> applied = new ArrayList<>(Collections.nCopies(72, 0L));
        applied.set(71, 40L);
        applied.set(47, 10L);
        List<Optional<Duration>> lag = new ArrayList<>(Collections.nCopies(72, Optional.empty()));
        lag.set(71, Optional.of(Duration.ofSeconds(4)));
        return new Activity(StatusFixtures.READ_AT, 72, List.of(new Activity.TableHours("vk.facilitet_punkt", applied)), lag,
                List.of(new Activity.ReasonCount("vk.facilitet_punkt", Optional.of("off_kode"), "off_kode = 99 is not <a code>", 3)));
    }

    @Test
    void pageDrawsOneBarPerHourWithItsFigureAndGroupsDeadLettersByReason() {
        String page = StatusPage.html(StatusFixtures.status(0, 0), Optional.of(activity()));

        assertThat(page).contains("<svg id=\"applied-vk.facilitet_punkt\"", "<title>last hour: 40 changes</title>", "<title>24-25 h ago: 10 changes</title>",
                "<td class=\"num\">50</td>", "<svg id=\"lag\"", "<title>last hour: 4 s at most</title>", "<table id=\"letters-by-reason\">",
                "off_kode = 99 is not &lt;a code&gt;", "<td class=\"num\">3</td>", ">now</text>", ">-72 h</text>");
        // hours without a figure get no bar in the lag chart; the applied chart has one rect per hour with changes or none
        assertThat(page.split("<svg id=\"lag\"")[1].split("</svg>")[0]).containsOnlyOnce("<rect");
        assertThat(page.split("<svg id=\"applied-vk.facilitet_punkt\"")[1].split("</svg>")[0].split("<rect", -1)).hasSize(73);
        assertThat(page).doesNotContain("<script");
    }

    @Test
    void firstThingsListWhatNeedsAPersonMostUrgentFirst() {
        SyncStatus s = StatusFixtures.status(0, 0);
        SyncStatus troubled = new SyncStatus(s.readAt(), s.pending(), s.relayLag(), s.consumerLag(), Optional.of("Kafka out of reach: timed out"), 2,
                s.deadLetters(), s.lastSucceeded(), s.lastFailed(), s.recentRuns(), s.oldestUnhandled(), List.of("applier stopped since 09:00: VK down"),
                s.geofaBudget());

        String page = StatusPage.html(troubled);

        assertThat(page).contains("<ol id=\"first\">");
        String first = page.split("<ol id=\"first\">")[1].split("</ol>")[0];
        assertThat(first.indexOf("A stage of the service is stopped")).isLessThan(first.indexOf("Kafka is out of reach"));
        assertThat(first.indexOf("Kafka is out of reach")).isLessThan(first.indexOf("2 open dead letters"));
        assertThat(StatusPage.html(s)).doesNotContain("What needs a person first");
    }
}
