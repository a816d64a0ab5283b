-- geofa-sync: dead letters also go to the Kafka topic geofa-sync.dead-letters, for whoever wants to be
-- told (a ticket system, a chat hook). The letter is filed in VK in the transaction that ends its
-- event; the applier then publishes every letter whose published_at is null and sets it, so a crash
-- in between only delays the message. A letter that changes state (superseded by a newer change of
-- its object, resolved by a retry) is published again with the new state.

alter table sync.dead_letter add column published_at timestamptz;

comment on column sync.dead_letter.published_at is
    'When this state of the letter was published to the topic geofa-sync.dead-letters; null: still to be published.';

create index dead_letter_unpublished_idx on sync.dead_letter (id) where published_at is null;

comment on table sync.dead_letter is
    'Change events that could not be applied to GeoFA, with the reason in words for staff. Other objects go on. A newer change of the same object is applied as the object''s whole state and, when GeoFA takes it, supersedes the open letters; otherwise staff fix the VK row or GeoFA''s side and retry (geofa-sync dead-letters retry ID).';
comment on column sync.dead_letter.status is
    'open; resolved (a retry sent the object again); superseded (a newer change of the object was applied); discarded (staff gave it up).';

comment on table sync.change_log is
    'What geofa-sync changed in GeoFA: one row per object and GeoFA column that holds a value before or after (a create logs the columns it filled). Kept for a limited time (default 30 days, see purge); values of columns marked sensitive in the mapping are masked.';
