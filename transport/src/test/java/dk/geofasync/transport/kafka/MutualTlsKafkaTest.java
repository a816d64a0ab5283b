package dk.geofasync.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.sandbox.kafka.StandaloneKafka;
import dk.geofasync.sandbox.kafka.TlsMaterial;
import dk.geofasync.transport.topic.TopicSetup;
import dk.geofasync.transport.topic.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka that wants mutual TLS (a client certificate its CA signed) is reached with a properties
 * file naming the keystore and truststore, their password from a file, and refused without the
 * client certificate or without TLS, with a message that says where to look.
 */
class MutualTlsKafkaTest {

    private static StandaloneKafka broker;
    private static TlsMaterial tls;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        tls = TlsMaterial.create(dir.resolve("tls"));
        broker = StandaloneKafka.startWithMutualTls(new StandaloneKafka.Settings("localhost", twoFreePorts(), dir.resolve("kafka")), tls);
    }

    @AfterAll
    static void stop() {
        if (broker != null) { // null when it did not start: that failure is the one to see
            broker.close();
        }
    }

    /** A free port whose next one is free too (the node's controller takes it). */
    private static int twoFreePorts() {
        for (int tries = 0; tries < 50; tries++) {
            try (java.net.ServerSocket a = new java.net.ServerSocket(0); java.net.ServerSocket b = new java.net.ServerSocket(a.getLocalPort() + 1)) {
                return a.getLocalPort();
            } catch (java.io.IOException taken) {
                // the next one is taken: another
            }
        }
        throw new IllegalStateException("no two free ports in a row");
    }

    /** As README's mTLS example: the stores' password from a file through DirectoryConfigProvider. */
    private static Path properties(String name, boolean clientCertificate) throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets-" + name));
        Files.writeString(secrets.resolve("tls-password"), tls.password(), StandardCharsets.UTF_8);
        String secret = "${dir:" + secrets.toString().replace("\\", "/") + ":tls-password}";
        String keystore = clientCertificate ? """
                ssl.keystore.type=PKCS12
                ssl.keystore.location=%s
                ssl.keystore.password=%s
                ssl.key.password=%s
                """.formatted(tls.clientKeystore(), secret, secret) : "";
        return Files.writeString(dir.resolve(name + ".properties"), """
                config.providers=dir
                config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider
                security.protocol=SSL
                ssl.truststore.type=PKCS12
                ssl.truststore.location=%s
                ssl.truststore.password=%s
                """.formatted(tls.truststore(), secret) + keystore);
    }

    @Test
    void withTheClientCertificateTopicsAreMadeAndEventsGoThrough() throws Exception {
        KafkaConnection kafka = new KafkaConnection(broker.bootstrapServers(), KafkaClientProperties.load(properties("mtls", true)));

        EventRoundTrip.assertTopicMadeAndEventGoesThrough(kafka, "mtls.changes", 2, "mtls-test");
    }

    @Test
    void withoutTheClientCertificateOrWithoutTlsItIsRefusedWithAClearMessage() throws Exception {
        TopicSpec spec = new TopicSpec("mtls.refused", 1, (short) 1, 1, Duration.ofDays(7), "delete");
        KafkaConnection noCertificate = new KafkaConnection(broker.bootstrapServers(), KafkaClientProperties.load(properties("no-cert", false)));
        try (Admin admin = noCertificate.admin(Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> new TopicSetup(admin).ensure(spec))
                    .hasMessageContaining("Kafka refused the TLS handshake").hasMessageContaining("ssl.keystore")
                    .hasMessageNotContaining(tls.password());
        }
        try (Admin admin = KafkaConnection.plain(broker.bootstrapServers()).admin(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> new TopicSetup(admin).ensure(spec))
                    .hasMessageContaining("does it need TLS or SASL settings in --kafka-properties?");
        }
    }
}
