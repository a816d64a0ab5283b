package dk.geofasync.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void waitDoublesUpToItsMaximum() {
        Backoff b = Backoff.STAGE;
        Duration wait = b.first();
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            seen.append(wait.toMillis()).append(' ');
            wait = b.after(wait);
        }
        assertThat(seen.toString().trim()).isEqualTo("200 400 800 1600 3200 6400 12800 25600 30000 30000");
    }

    @Test
    void aBackOffThatCannotBeIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("at most at its maximum");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("above zero");
    }
}
