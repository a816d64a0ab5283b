package dk.geofasync.demo;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.sandbox.kafka.StandaloneKafka;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geofa-sync kafka}: a single-node Kafka broker for trials, until stopped. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = {"Run a single-node Kafka broker (KRaft, broker and controller in one process) for trying geofa-sync",
            "against a real GeoFA without a Kafka cluster. Its data stays in --data-dir across restarts.",
            "NOT for production: one replica of everything, no TLS, no authentication. Ctrl-C stops it cleanly.",
            "Point the service at it with --kafka HOST:PORT --kafka-replication-factor 1."})
public final class KafkaCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", description = "clients' port (default: ${DEFAULT-VALUE}); the controller takes the next one")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address it listens on and tells clients to use (default: ${DEFAULT-VALUE}, this machine only)")
    String host;

    @Option(names = "--data-dir", defaultValue = "kafka-data", description = "folder for its topics and settings (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Spec
    CommandSpec spec;

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Integer call() {
        StandaloneKafka.Settings settings;
        try {
            settings = new StandaloneKafka.Settings(host, port, dataDir);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("geofa-sync kafka: " + e.getMessage());
            return GeofaSync.COULD_NOT_RUN;
        }
        StandaloneKafka kafka;
        try {
            kafka = StandaloneKafka.start(settings);
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("geofa-sync kafka: could not start: " + e.getMessage()
                    + (portTaken(e) ? " (is port " + port + " or " + settings.controllerPort() + " taken?)" : ""));
            return GeofaSync.COULD_NOT_RUN;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Kafka broker ready at " + kafka.bootstrapServers() + " (data in " + settings.dataDir()
                + (kafka.formatted() ? ", new" : ", kept from before") + "); not for production: one replica, no TLS, no login.");
        out.println("  use it:  geofa-sync run --kafka " + kafka.bootstrapServers() + " --kafka-replication-factor 1 ...");
        out.println("Ctrl-C stops it.");
        out.flush();
        kafka.awaitShutdown();
        return GeofaSync.OK;
    }
}
