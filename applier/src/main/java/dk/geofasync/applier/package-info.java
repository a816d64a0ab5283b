/**
 * Applier: the last step. {@code geofa} is the client of GeoFA's v4 SQL API (tokens, typed outcomes,
 * retries, bounded concurrency). Applying change events with exactly-once effect, dead letters and
 * the write-back of objekt_id are built on it in the applier issue.
 */
package dk.geofasync.applier;
