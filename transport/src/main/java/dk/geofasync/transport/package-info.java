/**
 * Transport: the second step. {@code relay} runs capture's pump (captured keys into the outbox) and
 * publishes committed outbox rows to the Kafka topic
 * {@code geofa-sync.changes} without skipping rows of late-committing transactions; {@code topic}
 * creates the topics; {@code replay} moves a stopped consumer group back to an offset or a time.
 */
package dk.geofasync.transport;
