package dk.geofasync.applier.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The request size's rules, without GeoFA. */
class RequestSizeTest {

    @Test
    void aSlowRequestHalvesTheNextOnesAndQuickOnesGrowThemBack() {
        RequestSize size = new RequestSize(2_000);

        size.took(Duration.ofSeconds(20), 2_000);
        assertThat(size.current()).isEqualTo(1_000);
        size.took(Duration.ofSeconds(2), 1_000);
        assertThat(size.current()).isEqualTo(1_500);
        size.took(Duration.ofSeconds(2), 1_500);
        assertThat(size.current()).as("never beyond the configured size").isEqualTo(2_000);
    }

    @Test
    void aSmallQuickRequestDoesNotGrowIt() {
        RequestSize size = new RequestSize(2_000);
        size.took(Duration.ofSeconds(20), 2_000);

        size.took(Duration.ofMillis(100), 3); // a poll with little in it says nothing of GeoFA's speed at 1,000
        assertThat(size.current()).isEqualTo(1_000);
    }

    @Test
    void geofasStatementTimeoutHalvesItDownToASmallestSize() {
        RequestSize size = new RequestSize(200);
        assertThat(RequestSize.statementTimeout("SQLSTATE[57014]: Query canceled: 7 ERROR:  canceling statement due to statement timeout")).isTrue();

        size.timedOut();
        size.timedOut();
        size.timedOut();
        assertThat(size.current()).isEqualTo(RequestSize.SMALLEST);
    }
}
