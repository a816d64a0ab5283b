/**
 * Capture: the first step of the data flow. {@code install} puts, from the mapping, statement-level
 * AFTER triggers on each synced VK table that write every change of a synced column to
 * {@code sync.outbox} in the same transaction; {@code backfill} enqueues existing rows;
 * {@code housekeeping} removes published outbox rows after their retention.
 */
package dk.geofasync.capture;
