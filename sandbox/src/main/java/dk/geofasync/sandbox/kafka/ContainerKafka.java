package dk.geofasync.sandbox.kafka;

import org.testcontainers.kafka.KafkaContainer;

/** Apache Kafka in KRaft mode in a Docker container (Testcontainers), for machines with Docker. */
final class ContainerKafka implements KafkaBroker {

    private static final String IMAGE = "apache/kafka:4.1.0";

    private final KafkaContainer container;

    private ContainerKafka(KafkaContainer container) {
        this.container = container;
    }

    @SuppressWarnings("resource") // closed by close()
    static ContainerKafka start() {
        KafkaContainer container = new KafkaContainer(IMAGE);
        container.start();
        return new ContainerKafka(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String origin() {
        return "Testcontainers " + IMAGE;
    }

    @Override
    public void close() {
        container.stop();
    }
}
