/**
 * Transport: the second step. Relays committed outbox rows to the Kafka topic
 * {@code geofa-sync.changes} without skipping rows of late-committing transactions, sets up
 * topics, and replays a consumer group from an offset or a time. Built in the transport issue.
 */
package dk.geofasync.transport;
