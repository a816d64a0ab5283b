package dk.geofasync.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {

    @TempDir
    Path dir;

    @Test
    void settingsWithSecretsFromProvidersAreTakenAsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), """
                config.providers=env
                config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                    username="geofa-sync" password="${env:GEOFA_SYNC_KAFKA_PASSWORD}";
                ssl.truststore.password=${dir:/run/secrets:truststore}
                """);

        Map<String, String> settings = KafkaClientProperties.load(file);

        assertThat(settings).containsEntry("security.protocol", "SASL_SSL").containsEntry("ssl.truststore.password", "${dir:/run/secrets:truststore}");
        assertThat(settings.get("sasl.jaas.config")).contains("username=\"geofa-sync\"", "${env:GEOFA_SYNC_KAFKA_PASSWORD}");
    }

    @Test
    void theShippedExampleFilesAreAccepted() {
        // README's worked example and the file docker-compose.kafka-cluster.yml gives the service
        for (String file : java.util.List.of("kafka-example.properties", "kafka-cluster.properties")) {
            Map<String, String> p = KafkaClientProperties.load(java.nio.file.Path.of("..", "config", file));
            assertThat(p).as(file).containsKey("sasl.jaas.config").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        }
    }

    @Test
    void aPasswordInClearIsRefusedNamingTheSettingButNotTheValue() throws Exception {
        Path jaas = Files.writeString(dir.resolve("jaas.properties"),
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"Hemmelig-42\";\n");
        Path keystore = Files.writeString(dir.resolve("keystore.properties"), "ssl.keystore.password=Hemmelig-42\n");

        assertThatThrownBy(() -> KafkaClientProperties.load(jaas))
                .hasMessageContaining("sasl.jaas.config holds a password in clear").hasMessageNotContaining("Hemmelig");
        assertThatThrownBy(() -> KafkaClientProperties.load(keystore))
                .hasMessageContaining("ssl.keystore.password holds a secret in clear").hasMessageNotContaining("Hemmelig");
    }

    @Test
    void whatGeofaSyncDecidesCannotBeSetInTheFile() throws Exception {
        Path acks = Files.writeString(dir.resolve("acks.properties"), "acks=1\n");
        Path bootstrap = Files.writeString(dir.resolve("bootstrap.properties"), "bootstrap.servers=kafka:9092\n");

        assertThatThrownBy(() -> KafkaClientProperties.load(acks)).hasMessageContaining("acks is set by geofa-sync itself");
        assertThatThrownBy(() -> KafkaClientProperties.load(bootstrap)).hasMessageContaining("give it with --kafka");
        assertThatThrownBy(() -> KafkaClientProperties.load(dir.resolve("missing.properties"))).hasMessageContaining("cannot be read");
    }

    @Test
    void theConnectionNamesItsSettingsButNeverTheirValues() {
        KafkaConnection kafka = new KafkaConnection("kafka1:9093", Map.of("security.protocol", "SASL_SSL",
                "sasl.jaas.config", "x required username=\"vejle\" password=\"${env:P}\";"));

        assertThat(kafka.toString()).contains("kafka1:9093", "sasl.jaas.config", "security.protocol").doesNotContain("vejle", "SASL_SSL");
    }
}
