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

    /** The demo's logging (logback-demo.xml): the console keeps the narration and geofa-sync's warnings, the rest goes to the log file. */
    static final String DEMO_LOGGING = "logback-demo.xml";

    public static void main(String[] args) {
        // before anything logs: logback reads its configuration once, at the first logger
        if (args.length > 0 && args[0].equals("demo") && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", DEMO_LOGGING);
        }
        System.exit(commandLine(args).execute(args));
    }

    /** The full command line, the sandbox commands included. */
    public static CommandLine commandLine(String... args) {
        return GeofaSync.commandLine(List.of(new DemoCommand(), new SandboxCommand(), new FakeGeofaCommand(), new KafkaCommand()), args);
    }
}
