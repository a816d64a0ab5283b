/**
 * Capture: the first step of the data flow. {@code install} puts, from the mapping, statement-level
 * AFTER triggers on each synced VK table that write the keys of the rows a statement touched to
 * {@code sync.captured_key} in the same transaction, and a pump per table (SQL, run by the relay)
 * that turns those keys into {@code sync.outbox} rows of the synced columns that changed;
 * {@code backfill} enqueues existing rows;
 * {@code housekeeping} removes published outbox rows after their retention.
 */
package dk.geofasync.capture;
