package dk.geofasync.sandbox.kafka;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker for tests and the demo. By default a single-node KRaft broker inside this JVM;
 * {@code GEOFA_SYNC_TEST_KAFKA=container} uses Testcontainers where Docker runs, and
 * {@code GEOFA_SYNC_TEST_KAFKA_BOOTSTRAP=host:port} an existing broker.
 */
public interface KafkaBroker extends AutoCloseable {

    String MODE_VARIABLE = "GEOFA_SYNC_TEST_KAFKA";
    String BOOTSTRAP_VARIABLE = "GEOFA_SYNC_TEST_KAFKA_BOOTSTRAP";

    /** host:port list for Kafka clients. */
    String bootstrapServers();

    /** How this broker was provided, for messages. */
    String origin();

    /** Whether {@link #restart} can stop and start this broker (only one this JVM runs). */
    default boolean canRestart() {
        return false;
    }

    /**
     * Stops the broker, waits {@code down}, and starts it again on the same address with its topics,
     * offsets and groups: a broker restart as the fault suite's clients see it.
     */
    default void restart(java.time.Duration down) {
        throw new UnsupportedOperationException("a broker from " + origin() + " cannot be restarted by the tests");
    }

    /** Stops broker {@code nodeId} of a cluster for good (the others go on): a lost broker as its clients see it. */
    default void stopBroker(int nodeId) {
        throw new UnsupportedOperationException("a broker from " + origin() + " cannot be stopped by the tests");
    }

    @Override
    void close();

    /** Starts a broker of the configured kind. The caller closes it, after every client that uses it. */
    static KafkaBroker start() {
        Optional<String> bootstrap = Optional.ofNullable(System.getenv(BOOTSTRAP_VARIABLE)).filter(s -> !s.isBlank());
        if (bootstrap.isPresent()) {
            return new ExternalKafka(bootstrap.get());
        }
        if ("container".equalsIgnoreCase(System.getenv(MODE_VARIABLE))) {
            return ContainerKafka.start();
        }
        return InProcessKafka.start();
    }

    /** The user and password a broker from {@link #startWithSasl()} lets in (SASL/PLAIN, the Kafka test kit's super user). */
    String SASL_USER = org.apache.kafka.common.test.JaasUtils.KAFKA_PLAIN_ADMIN;
    String SASL_PASSWORD = org.apache.kafka.common.test.JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD;

    /** A SCRAM-SHA-512 user a broker from {@link #startWithSasl()} lets in, as a production cluster's would be. */
    String SCRAM_USER = "geofa-sync";
    String SCRAM_PASSWORD = "geofa-sync-scram-secret";

    /**
     * A broker inside this JVM whose clients must log in ({@code security.protocol=SASL_PLAINTEXT}) with
     * SASL/PLAIN ({@link #SASL_USER}) or SASL/SCRAM-SHA-512 ({@link #SCRAM_USER}): for tests of the
     * client properties. The caller closes it.
     */
    static KafkaBroker startWithSasl() {
        return InProcessKafka.start(org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT);
    }

    /**
     * A cluster of {@code brokers} brokers and one controller inside this JVM, its internal topics
     * with 3 replicas and 2 in sync as a production cluster's: for tests that stop a broker. The
     * caller closes it.
     */
    static KafkaBroker startCluster(int brokers) {
        if (brokers < 3) {
            throw new IllegalArgumentException("a cluster for replication tests needs at least 3 brokers, got " + brokers);
        }
        return InProcessKafka.start(org.apache.kafka.common.security.auth.SecurityProtocol.PLAINTEXT, brokers);
    }

    /** One broker for the whole JVM (test classes share it and use topics of their own); closed at exit. */
    static KafkaBroker shared() {
        return SharedBroker.BROKER;
    }

    /** Holds the JVM-wide broker. */
    final class SharedBroker {
        private static final Logger LOG = LoggerFactory.getLogger(SharedBroker.class);
        static final KafkaBroker BROKER = startShared();

        private SharedBroker() {
        }

        /** Closes the broker, but lets the JVM end after {@code seconds} even if a client still holds it up. */
        private static void closeWithin(KafkaBroker broker, int seconds) {
            Thread closing = new Thread(broker::close, "kafka-broker-close");
            closing.setDaemon(true);
            closing.start();
            try {
                closing.join(seconds * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static KafkaBroker startShared() {
            KafkaBroker broker = start();
            LOG.info("Kafka for tests: {} ({})", broker.bootstrapServers(), broker.origin());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeWithin(broker, 10), "kafka-broker-shutdown"));
            return broker;
        }
    }

    /** A broker someone else runs. */
    record ExternalKafka(String bootstrapServers) implements KafkaBroker {
        @Override
        public String origin() {
            return BOOTSTRAP_VARIABLE;
        }

        @Override
        public void close() {
            // not ours to stop
        }
    }
}
