/**
 * Capture: the first step of the data flow. Installs, from the mapping, an AFTER trigger on each
 * synced VK table that writes every committed change of a synced column to {@code sync.outbox},
 * and backfills existing rows. Built in the capture issue; the outbox it writes is in the db module.
 */
package dk.geofasync.capture;
