-- geofa-sync: the outbox's housekeeping and the status page ask, per outbox row, whether the relay
-- filed it as a dead letter (by event id); without an index that is a scan of sync.dead_letter per row.
create index dead_letter_event_id_idx on sync.dead_letter (event_id);
