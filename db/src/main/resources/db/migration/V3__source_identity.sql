-- geofa-sync: the identity of this VK database as a source of change events.

create table sync.source (
    id         uuid        primary key,
    created_at timestamptz not null default now()
);

comment on table sync.source is 'One row: the id of this VK database as a source of change events. Event ids are <source id>:<outbox id>, so an outbox made anew (its ids starting again from 1) never repeats an event id the applier has seen.';
comment on column sync.source.id is 'Random id made when the sync schema was created.';
comment on column sync.source.created_at is 'When it was made.';

-- [jooq ignore start]
insert into sync.source (id) values (gen_random_uuid());
-- [jooq ignore stop]
