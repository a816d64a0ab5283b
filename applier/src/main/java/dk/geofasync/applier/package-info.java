/**
 * Applier: the last step. Consumes change events, applies them to GeoFA through its v4 SQL API
 * with exactly-once effect, sends failures to dead letters, and writes GeoFA's objekt_id back to
 * VK through the replies topic. Built in the applier issue.
 */
package dk.geofasync.applier;
