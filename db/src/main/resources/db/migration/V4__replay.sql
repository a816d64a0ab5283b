-- geofa-sync: deliberate replays. `geofa-sync replay` moves the applier's consumer group back and
-- records here how far each partition had been written at that moment. The applier treats events
-- below that mark as replayed: the inbox no longer drops them as duplicates, and they are applied
-- as state (compared with GeoFA first), so a replay from any offset converges GeoFA to VK.

create table sync.replay (
    id              bigserial   primary key,
    consumer_group  varchar     not null,
    topic           varchar     not null,
    kafka_partition integer     not null,
    from_offset     bigint      not null,
    until_offset    bigint      not null,
    requested_at    timestamptz not null default now(),
    requested_by    varchar     not null default current_user
);

comment on table sync.replay is 'Replays asked for with geofa-sync replay, one row per partition: events of the group from from_offset below until_offset are applied again (as state), even when the inbox has them.';
comment on column sync.replay.id is 'Running number.';
comment on column sync.replay.consumer_group is 'The applier''s Kafka consumer group that was moved back.';
comment on column sync.replay.topic is 'The change topic.';
comment on column sync.replay.kafka_partition is 'The partition.';
comment on column sync.replay.from_offset is 'Where the group was moved to.';
comment on column sync.replay.until_offset is 'The partition''s end when the replay was asked for: events below it are replayed, events from it on are new.';
comment on column sync.replay.requested_at is 'When the replay was asked for; an inbox entry handled before it does not stop a replayed event.';
comment on column sync.replay.requested_by is 'The database role that asked.';

create index replay_group_idx on sync.replay (consumer_group, topic, kafka_partition, requested_at desc);
