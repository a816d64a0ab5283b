package dk.geofasync.applier.apply;

import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.core.config.Secret;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import java.time.Duration;

/** Client settings for applier tests: one try per request (each round of a test is one request), short timeouts. */
final class OneTrySettings {

    private OneTrySettings() {
    }

    static GeofaSettings of(FakeGeofa fake) {
        return new GeofaSettings(fake.baseUrl(), "kom630", Secret.of("sandbox"), "fkg", Duration.ofSeconds(2), 2, 1,
                Duration.ofMillis(10), Duration.ofMillis(10));
    }
}
