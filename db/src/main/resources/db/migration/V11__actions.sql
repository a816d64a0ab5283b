-- geofa-sync: what staff did through the service's HTTP actions (run --http-users-file), and the
-- applier's pause. Every action taken over HTTP is recorded here (who, when, what, how it went), so a
-- DBA can answer "who retried these letters" or "who paused the sync" with a select. The pause is a
-- row per consumer group: every instance of the group obeys it, and it outlives a restart.

create table sync.action (
    id           bigserial   primary key,
    at           timestamptz not null default now(),
    who          varchar     not null,
    action       varchar     not null,
    target       varchar,
    outcome      varchar     not null,
    detail       varchar,
    from_address varchar,
    constraint action_outcome_check check (outcome in ('done', 'refused', 'failed'))
);

create index action_at on sync.action (at);

comment on table sync.action is 'Actions staff took through the service''s HTTP endpoints (POST /actions/...): one row each.';
comment on column sync.action.id is 'Order of the actions.';
comment on column sync.action.at is 'When the service was asked.';
comment on column sync.action.who is 'The user name the request authenticated as (from the service''s users file or environment).';
comment on column sync.action.action is 'sync-now, dead-letters-retry, dead-letters-discard, reconcile, applier-pause or applier-resume.';
comment on column sync.action.target is 'What it acted on: dead letter ids (#12 #13), all, outbox, applier or all tables; - when the request named nothing usable.';
comment on column sync.action.outcome is 'done; refused (the request made no sense, e.g. no such letter); failed (VK or the service could not do it).';
comment on column sync.action.detail is 'What came of it, in words: counts and ids, never object values.';
comment on column sync.action.from_address is 'The client''s address as the service saw it.';

create table sync.applier_pause (
    applier_group varchar     primary key,
    paused_at     timestamptz not null default now(),
    paused_by     varchar     not null,
    reason        varchar
);

comment on table sync.applier_pause is
    'A row while the applier of a consumer group is paused (POST /actions/applier/pause): its instances apply nothing to GeoFA until the row goes (POST /actions/applier/resume, or delete it). The relay goes on filling Kafka.';

comment on column sync.applier_pause.applier_group is 'The consumer group (PREFIX-applier) whose instances are paused.';
comment on column sync.applier_pause.paused_at is 'When it was paused.';
comment on column sync.applier_pause.paused_by is 'Who paused it (the user of POST /actions/applier/pause).';
comment on column sync.applier_pause.reason is 'Why, in their words (at most 200 characters), for the status page.';

-- a reconcile staff asked the service for over HTTP
alter table sync.reconcile_run drop constraint reconcile_run_trigger_check;
alter table sync.reconcile_run add constraint reconcile_run_trigger_check check (trigger in ('command', 'schedule', 'gap', 'action'));
comment on column sync.reconcile_run.trigger is 'command: geofa-sync reconcile; schedule: the service''s --reconcile-every; gap: the service noticed events may have been lost; action: staff asked the service (POST /actions/reconcile).';
