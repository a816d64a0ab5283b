package dk.geofasync.app.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Which alerts the facts call for: each thing once, letters as digests, standing conditions when they begin. */
class AlertPlannerTest {

    static final AlertWatch.Rules RULES = new AlertWatch.Rules(Duration.ofMinutes(15), Duration.ofHours(1));
    static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    static AlertFacts facts(Optional<AlertFacts.FailedRun> failed, List<AlertFacts.Letter> letters, long newest, Optional<Duration> oldest,
                            Optional<String> login) {
        return new AlertFacts(failed, letters, letters.size(), newest, oldest, Optional.empty(), login);
    }

    static AlertFacts.Letter letter(long id) {
        return new AlertFacts.Letter(id, "vk.facilitet_punkt", Long.toString(100 + id), Optional.of("off_kode"),
                "off_kode = 99 is not a value of GeoFA's code list d_basis_offentlig");
    }

    @Test
    void whatWasThereAtStartIsNotNews() {
        AlertFacts before = facts(Optional.of(new AlertFacts.FailedRun(7, "once", "VK unreachable")), List.of(letter(3)), 3, Optional.empty(),
                Optional.empty());

        AlertPlanner.Decision d = AlertPlanner.decide(AlertWatch.startingAt(before), facts(before.lastFailedRun(), List.of(), 3, Optional.empty(),
                Optional.empty()), T0, RULES);

        assertThat(d.alerts()).isEmpty();
    }

    @Test
    void aFailedRunIsMailedOnce() {
        AlertWatch watch = AlertWatch.startingAt(facts(Optional.empty(), List.of(), 0, Optional.empty(), Optional.empty()));
        AlertFacts failed = facts(Optional.of(new AlertFacts.FailedRun(8, "once", "GeoFA unreachable for 30 min")), List.of(), 0, Optional.empty(),
                Optional.empty());

        AlertPlanner.Decision first = AlertPlanner.decide(watch, failed, T0, RULES);
        AlertPlanner.Decision again = AlertPlanner.decide(first.next(), failed, T0.plusSeconds(10), RULES);

        assertThat(first.alerts()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.RUN_FAILED);
            assertThat(a.subject()).isEqualTo("geofa-sync: run 8 (once) failed");
            assertThat(a.text()).contains("GeoFA unreachable for 30 min");
        });
        assertThat(again.alerts()).isEmpty();
    }

    @Test
    void deadLettersGoAsOneDigestPerIntervalNotAMailEach() {
        AlertWatch watch = AlertWatch.startingAt(facts(Optional.empty(), List.of(), 0, Optional.empty(), Optional.empty()));

        AlertPlanner.Decision first = AlertPlanner.decide(watch, facts(Optional.empty(), List.of(letter(1), letter(2)), 2, Optional.empty(),
                Optional.empty()), T0, RULES);
        // a third letter five minutes later waits for the interval
        AlertPlanner.Decision soon = AlertPlanner.decide(first.next(), facts(Optional.empty(), List.of(letter(3)), 3, Optional.empty(),
                Optional.empty()), T0.plus(Duration.ofMinutes(5)), RULES);
        AlertPlanner.Decision later = AlertPlanner.decide(soon.next(), facts(Optional.empty(), List.of(letter(3), letter(4)), 4, Optional.empty(),
                Optional.empty()), T0.plus(Duration.ofMinutes(15)), RULES);

        assertThat(first.alerts()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.DEAD_LETTERS);
            assertThat(a.subject()).isEqualTo("geofa-sync: 2 new dead letters");
            assertThat(a.text()).contains("#1  vk.facilitet_punkt  key 101  column off_kode: off_kode = 99", "#2  vk.facilitet_punkt  key 102");
        });
        assertThat(soon.alerts()).isEmpty();
        assertThat(later.alerts()).singleElement().satisfies(a -> assertThat(a.text()).contains("#3 ", "#4 ").doesNotContain("#1 "));
        assertThat(later.next().seenLetter()).isEqualTo(4);
    }

    @Test
    void aLongDigestListsFiftyAndCountsTheRest() {
        List<AlertFacts.Letter> many = LongStream.rangeClosed(1, 50).mapToObj(AlertPlannerTest::letter).toList();
        AlertFacts facts = new AlertFacts(Optional.empty(), many, 120, 120, Optional.empty(), Optional.empty(), Optional.empty());

        Alert digest = AlertPlanner.decide(AlertWatch.startingAt(facts(Optional.empty(), List.of(), 0, Optional.empty(), Optional.empty())), facts,
                T0, RULES).alerts().get(0);

        assertThat(digest.text()).contains("120 new dead letters", "... and 70 more (geofa-sync dead-letters list)");
    }

    @Test
    void lagIsMailedWhenItCrossesTheThresholdAndAgainOnlyAfterItCleared() {
        AlertWatch watch = AlertWatch.startingAt(facts(Optional.empty(), List.of(), 0, Optional.empty(), Optional.empty()));
        AlertFacts lagging = facts(Optional.empty(), List.of(), 0, Optional.of(Duration.ofMinutes(75)), Optional.empty());
        AlertFacts fine = facts(Optional.empty(), List.of(), 0, Optional.of(Duration.ofSeconds(3)), Optional.empty());

        AlertPlanner.Decision crossed = AlertPlanner.decide(watch, lagging, T0, RULES);
        AlertPlanner.Decision still = AlertPlanner.decide(crossed.next(), lagging, T0.plusSeconds(30), RULES);
        AlertPlanner.Decision cleared = AlertPlanner.decide(still.next(), fine, T0.plusSeconds(60), RULES);
        AlertPlanner.Decision again = AlertPlanner.decide(cleared.next(), lagging, T0.plusSeconds(90), RULES);

        assertThat(crossed.alerts()).extracting(Alert::kind).containsExactly(AlertKind.LAG);
        assertThat(crossed.alerts().get(0).text()).contains("75 min old (the threshold is 60 min)");
        assertThat(still.alerts()).isEmpty();
        assertThat(cleared.alerts()).isEmpty();
        assertThat(again.alerts()).extracting(Alert::kind).containsExactly(AlertKind.LAG);
    }

    @Test
    void geofaRefusingTheLoginIsMailedOnceWhileItLasts() {
        AlertWatch watch = AlertWatch.startingAt(facts(Optional.empty(), List.of(), 0, Optional.empty(), Optional.empty()));
        AlertFacts refused = facts(Optional.empty(), List.of(), 0, Optional.empty(), Optional.of("GeoFA keeps refusing fresh tokens for user kom630"));

        AlertPlanner.Decision first = AlertPlanner.decide(watch, refused, T0, RULES);
        AlertPlanner.Decision second = AlertPlanner.decide(first.next(), refused, T0.plusSeconds(30), RULES);

        assertThat(first.alerts()).extracting(Alert::kind).containsExactly(AlertKind.GEOFA_LOGIN_REFUSED);
        assertThat(second.alerts()).isEmpty();
    }

    @Test
    void eachStepSaysWhatIsToldOnceItWentSoAFailedMailDoesNotRepeatTheOthers() {
        AlertWatch watch = AlertWatch.startingAt(facts(Optional.empty(), List.of(), 0, Optional.empty(), Optional.empty()));
        AlertFacts both = facts(Optional.of(new AlertFacts.FailedRun(9, "once", "x")), List.of(letter(1)), 1, Optional.empty(), Optional.empty());

        AlertPlanner.Decision d = AlertPlanner.decide(watch, both, T0, RULES);
        // the run's mail went, the digest failed: the next look sends only the digest
        AlertPlanner.Decision retry = AlertPlanner.decide(d.steps().get(0).told(), both, T0.plusSeconds(10), RULES);

        assertThat(d.alerts()).extracting(Alert::kind).containsExactly(AlertKind.RUN_FAILED, AlertKind.DEAD_LETTERS);
        assertThat(retry.alerts()).extracting(Alert::kind).containsExactly(AlertKind.DEAD_LETTERS);
    }

    @Test
    void mailsCarryNoValueGeofaOrAnExceptionQuoted() {
        AlertFacts facts = new AlertFacts(Optional.of(new AlertFacts.FailedRun(5, "once", "ERROR: invalid input syntax for type integer: \"Jens Hansen\"")),
                List.of(new AlertFacts.Letter(1, "vk.facilitet_punkt", "7", Optional.of("navn"),
                        "GeoFA refused it: duplicate key value violates unique constraint \"x\" Key (navn)=(Jens Hansen) already exists; see 'Jens' in GeoFA's list")),
                1, 1, Optional.empty(), Optional.empty(), Optional.empty());

        String text = AlertPlanner.decide(AlertWatch.startingAt(facts(Optional.empty(), List.of(), 0, Optional.empty(), Optional.empty())), facts, T0, RULES)
                .alerts().stream().map(Alert::text).reduce("", String::concat);

        assertThat(text).doesNotContain("Jens").contains("invalid input syntax for type integer: \"…\"", "Key (navn)=(…)", "GeoFA's list");
    }

    @Test
    void theHtmlBodyEscapesWhatItShows() {
        Alert a = new Alert(AlertKind.DEAD_LETTERS, "x <y>", List.of("navn <script>alert(1)</script> & 'quotes'"));

        assertThat(a.html()).contains("navn &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;quotes&#39;", "x &lt;y&gt;").doesNotContain("<script>");
    }
}
