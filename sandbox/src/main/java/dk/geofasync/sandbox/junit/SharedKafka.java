package dk.geofasync.sandbox.junit;

import dk.geofasync.sandbox.kafka.KafkaBroker;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JVM's shared Kafka broker for a test class, with names for topics and groups that no other
 * test uses: {@code @RegisterExtension static final SharedKafka kafka = new SharedKafka();}
 */
public final class SharedKafka implements BeforeAllCallback {

    private KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = KafkaBroker.shared();
    }

    public String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("the broker is there from @BeforeAll on; register SharedKafka as a static field");
        }
        return broker.bootstrapServers();
    }

    /** A topic or group name of its own for one test, e.g. {@code changes-3f2a…}. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
