package dk.geofasync.applier.geofa;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.config.Secret;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.Traffic;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client against a fake GeoFA enforcing GC2's limit of 120 requests a calendar minute, on a
 * clock running ten times fast (a GeoFA minute is six seconds here) and a budget window shortened
 * to match: the same rules, in seconds instead of minutes.
 */
class GeofaBudgetTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    @Test
    void clientNeverSendsGeofaA121stRequestInAMinute() {
        Clock fast = new Fast(Instant.now(), 10);
        try (FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults().withClock(fast))) {
            // as fast as it goes, 150 requests take well under six seconds (one GeoFA minute here): the 121st would be refused
            GeofaSettings settings = GeofaSettings.of(fake.baseUrl(), "kom630", Secret.of("sandbox"));
            GeofaClient client = new GeofaClient(settings, Clock.systemUTC(), () -> { },
                    new RequestBudget(GeofaSettings.DEFAULT_REQUESTS_PER_MINUTE, Duration.ofSeconds(6), Clock.systemUTC()));

            for (int i = 0; i < 150; i++) {
                client.execute("select 1", List.of());
            }

            Traffic traffic = fake.traffic();
            assertThat(traffic.requests()).isEqualTo(150);
            assertThat(traffic.refused()).as("responses 429").isZero();
            assertThat(traffic.busiestMinute()).isLessThanOrEqualTo(GeofaSettings.DEFAULT_REQUESTS_PER_MINUTE);
        }
    }

    /** A clock running {@code factor} times as fast as the real one from {@code from}. */
    private static final class Fast extends Clock {
        private final Instant from;
        private final long factor;

        Fast(Instant from, long factor) {
            this.from = from;
            this.factor = factor;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return from.plus(Duration.between(from, Instant.now()).multipliedBy(factor));
        }
    }
}
