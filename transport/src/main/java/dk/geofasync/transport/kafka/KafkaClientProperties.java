package dk.geofasync.transport.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the operator's Kafka client properties file ({@code --kafka-properties}): standard Kafka
 * client settings (TLS, SASL, timeouts) for every producer, consumer and admin client. It refuses
 * what geofa-sync decides itself (the settings its guarantees rest on) and secrets written in clear:
 * those come through Kafka's own config providers, from the environment or from files. Messages name
 * the setting, never its value.
 */
public final class KafkaClientProperties {

    /** Settings geofa-sync sets itself: its ordering and exactly-once guarantees rest on them. */
    static final Set<String> OWNED = Set.of("bootstrap.servers", "key.serializer", "value.serializer", "key.deserializer",
            "value.deserializer", "enable.idempotence", "acks", "max.in.flight.requests.per.connection", "enable.auto.commit",
            "group.id", "auto.offset.reset", "transactional.id", "isolation.level", "client.id", "partitioner.class", "interceptor.classes",
            "retries");
    /** A value that comes from a config provider, e.g. {@code ${env:KAFKA_PASSWORD}} or {@code ${dir:/run/secrets:kafka}}. */
    private static final Pattern FROM_PROVIDER = Pattern.compile("\\$\\{[A-Za-z0-9_.-]+:[^}]*}");
    /** {@code password="..."} (or {@code password='...'}) inside a JAAS line whose value is not a provider reference. */
    private static final Pattern JAAS_PASSWORD = Pattern.compile("(?i)password\\s*+=\\s*+[\"']?+(?!\\$\\{)\\S");

    private KafkaClientProperties() {
    }

    /** The file's settings; throws {@link IllegalArgumentException} naming the file and the setting it refuses. */
    public static Map<String, String> load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("Kafka properties file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        Map<String, String> settings = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            settings.put(key.trim(), p.getProperty(key).trim());
        }
        check(file.toString(), settings);
        return Map.copyOf(settings);
    }

    static void check(String source, Map<String, String> settings) {
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (OWNED.contains(key)) {
                throw new IllegalArgumentException("Kafka properties file " + source + ": " + key + " is set by geofa-sync itself "
                        + (key.equals("bootstrap.servers") ? "(give it with --kafka)" : "(its ordering and exactly-once guarantees rest on it)")
                        + "; remove it from the file");
            }
            boolean secret = key.toLowerCase(Locale.ROOT).contains("password") || key.toLowerCase(Locale.ROOT).endsWith(".secret")
                    || key.equals("ssl.keystore.key") || key.equals("ssl.keystore.certificate.chain");
            if (secret && !value.isEmpty() && !FROM_PROVIDER.matcher(value).matches()) {
                throw new IllegalArgumentException("Kafka properties file " + source + ": " + key + " holds a secret in clear; "
                        + "take it from the environment or a file with a config provider, e.g. " + key + "=${env:GEOFA_SYNC_KAFKA_PASSWORD}");
            }
            if (key.equals("sasl.jaas.config") && JAAS_PASSWORD.matcher(value).find()) {
                throw new IllegalArgumentException("Kafka properties file " + source + ": sasl.jaas.config holds a password in clear; "
                        + "write password=\"${env:GEOFA_SYNC_KAFKA_PASSWORD}\" (or ${dir:/run/secrets:kafka-password}) and declare the provider "
                        + "(config.providers=env)");
            }
        }
    }
}
