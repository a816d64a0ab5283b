package dk.geofasync.sandbox.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (broker and KRaft controller in this process) on a fixed port with its data in
 * a folder of its own, kept across restarts: for trials against a real GeoFA without a Kafka
 * cluster. One replica of everything, no TLS, no login, so a lost disk loses the topics; not for
 * production. Kafka's own server classes, configured and formatted as its {@code kafka-storage.sh
 * format} and {@code kafka-server-start.sh} would, without a Kafka download.
 */
public final class StandaloneKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneKafka.class);
    /** The one node's id (broker and controller). */
    private static final int NODE_ID = 1;

    private final kafka.server.KafkaRaftServer server;
    private final String bootstrap;
    private final boolean formatted;

    private StandaloneKafka(kafka.server.KafkaRaftServer server, String bootstrap, boolean formatted) {
        this.server = server;
        this.bootstrap = bootstrap;
        this.formatted = formatted;
    }

    /**
     * Where it listens and keeps its data.
     *
     * @param host the address clients and the controller listen on, and clients are told to use
     * @param port clients' port; the controller takes the next one
     * @param dataDir the broker's folder: {@code server.properties} and the log directory {@code logs}
     */
    public record Settings(String host, int port, Path dataDir) {
        public Settings {
            if (host == null || !host.matches("[A-Za-z0-9.-]+")) {
                throw new IllegalArgumentException("Kafka host must be a host name or IPv4 address, got: " + host);
            }
            if (host.equals("0.0.0.0")) {
                throw new IllegalArgumentException("Kafka host must be the address clients use to reach it (it is also what Kafka tells them), "
                        + "not 0.0.0.0");
            }
            if (port < 1 || port > 65534) {
                throw new IllegalArgumentException("Kafka port must be between 1 and 65534 (the controller takes the next one), got " + port);
            }
            dataDir = dataDir.toAbsolutePath().normalize();
        }

        /** The controller's port: the clients' port plus one. */
        public int controllerPort() {
            return port + 1;
        }
    }

    /**
     * Starts the node, formatting its log directory first when it has never run (a new cluster id);
     * otherwise it comes back with its topics, messages and consumer groups.
     */
    public static StandaloneKafka start(Settings settings) {
        return start(settings, properties(settings));
    }

    /**
     * The same node for tests of mutual TLS: clients must use TLS and show a certificate
     * {@code tls}'s CA signed ({@code ssl.client.auth=required}); the controller listens as before.
     * Kafka's test kit starts only plain and SASL brokers, so this node stands in for a TLS cluster.
     */
    public static StandaloneKafka startWithMutualTls(Settings settings, TlsMaterial tls) {
        Properties props = properties(settings);
        String client = settings.host() + ":" + settings.port();
        props.setProperty("listeners", "EXTERNAL://" + client + ",CONTROLLER://127.0.0.1:" + settings.controllerPort());
        props.setProperty("advertised.listeners", "EXTERNAL://" + client);
        props.setProperty("inter.broker.listener.name", "EXTERNAL");
        props.setProperty("listener.security.protocol.map", "EXTERNAL:SSL,CONTROLLER:PLAINTEXT");
        String listener = "listener.name.external.";
        props.setProperty(listener + "ssl.keystore.type", "PKCS12");
        props.setProperty(listener + "ssl.keystore.location", tls.brokerKeystore().toString());
        props.setProperty(listener + "ssl.keystore.password", tls.password());
        props.setProperty(listener + "ssl.key.password", tls.password());
        props.setProperty(listener + "ssl.truststore.type", "PKCS12");
        props.setProperty(listener + "ssl.truststore.location", tls.truststore().toString());
        props.setProperty(listener + "ssl.truststore.password", tls.password());
        props.setProperty(listener + "ssl.client.auth", "required");
        return start(settings, props);
    }

    private static StandaloneKafka start(Settings settings, Properties props) {
        try {
            Files.createDirectories(settings.dataDir());
            Path config = settings.dataDir().resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                props.store(w, "written by geofa-sync kafka at every start (edits are overwritten): one node, one replica, not for production");
            }
            boolean fresh = !Files.exists(logDir(settings).resolve("meta.properties"));
            if (fresh) {
                format(config);
            }
            kafka.server.KafkaRaftServer server = new kafka.server.KafkaRaftServer(kafka.server.KafkaConfig.fromProps(props, false), Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                server.shutdown(); // a half-started node holds ports and the log directory's lock
                throw e;
            }
            String bootstrap = settings.host() + ":" + settings.port();
            LOG.info("standalone Kafka ready at {} (data in {}{})", bootstrap, settings.dataDir(), fresh ? ", formatted now" : "");
            return new StandaloneKafka(server, bootstrap, fresh);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare Kafka's data folder " + settings.dataDir() + ": " + e.getMessage(), e);
        }
    }

    static Path logDir(Settings settings) {
        return settings.dataDir().resolve("logs");
    }

    static Properties properties(Settings settings) {
        String client = settings.host() + ":" + settings.port();
        // the controller listener has no login: this machine only, whatever address the clients use
        String controller = "127.0.0.1:" + settings.controllerPort();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + controller);
        p.setProperty("listeners", "PLAINTEXT://" + client + ",CONTROLLER://" + controller);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + client);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir(settings).toString());
        // one node holds one replica: Kafka's internal topics must not wait for three
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // geofa-sync creates its topics with the settings it needs; a typo'd topic name must not appear silently
        p.setProperty("auto.create.topics.enable", "false");
        return p;
    }

    /** As {@code kafka-storage.sh format -t <new id> -c server.properties}; Kafka's tool prints, so its words go to the log. */
    private static void format(Path config) {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8)) {
            code = kafka.tools.StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka could not format its data folder: " + e.getMessage(), e);
        }
        String text = said.toString(StandardCharsets.UTF_8).strip();
        if (code != 0) {
            throw new IllegalStateException("Kafka could not format its data folder (exit " + code + "): " + text);
        }
        LOG.debug("Kafka formatted its data folder: {}", text);
    }

    /** host:port for Kafka clients ({@code --kafka}). */
    public String bootstrapServers() {
        return bootstrap;
    }

    /** Whether this start formatted a new, empty log directory. */
    public boolean formatted() {
        return formatted;
    }

    /** Blocks until the node has shut down (after {@link #close()}, e.g. from a shutdown hook). */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    /** Shuts the node down cleanly: logs flushed, the next start needs no recovery. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
