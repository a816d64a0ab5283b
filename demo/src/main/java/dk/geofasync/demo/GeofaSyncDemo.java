package dk.geofasync.demo;

import dk.geofasync.app.GeofaSync;
import java.util.List;
import picocli.CommandLine;

/**
 * The demo jar's entry point: geofa-sync's command line plus the sandbox commands ({@code demo},
 * {@code sandbox reset}, {@code fake-geofa}, {@code kafka}). They live here, apart from the production jar, because
 * they bring a Kafka broker, test containers and a fake GeoFA, and because they drop schemas.
 */
public final class GeofaSyncDemo {

    private GeofaSyncDemo() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The full command line, the sandbox commands included. */
    public static CommandLine commandLine(String... args) {
        return GeofaSync.commandLine(List.of(new DemoCommand(), new SandboxCommand(), new FakeGeofaCommand(), new KafkaCommand()), args);
    }
}
