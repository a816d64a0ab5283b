-- geofa-sync: reconcile. Change capture only knows what it saw; reconcile compares every mapped
-- table with GeoFA (fingerprints of key buckets, computed on both sides) and records each run here,
-- per table: how many differences of each kind it found and how many it queued for repair. Repairs
-- are events in sync.outbox like any other, so the pipeline applies them in order and once.
-- The rows found different are listed in sync.reconcile_difference (keys, objekt_ids and column
-- names only, never values). Retention deletes them with their runs.

create table sync.reconcile_run (
    id            bigint generated always as identity primary key,
    started_at    timestamptz not null default now(),
    finished_at   timestamptz,
    outcome       varchar     not null default 'running',
    repair        boolean     not null,
    trigger       varchar     not null,
    host          varchar,
    message       text,
    constraint reconcile_run_outcome_check check (outcome in ('running', 'succeeded', 'failed')),
    constraint reconcile_run_trigger_check check (trigger in ('command', 'schedule', 'gap')),
    constraint reconcile_run_finished_check check ((outcome = 'running') = (finished_at is null))
);

comment on table sync.reconcile_run is
    'One row per reconcile: geofa-sync reconcile, or the service''s scheduled one. Per table results are in sync.reconcile_table.';
comment on column sync.reconcile_run.id is 'Number of the reconcile, in the order they started.';
comment on column sync.reconcile_run.started_at is 'When the reconcile started.';
comment on column sync.reconcile_run.finished_at is 'When it ended; null while it runs.';
comment on column sync.reconcile_run.host is 'The process that ran it (host:pid).';
comment on column sync.reconcile_run.message is 'Why it failed, if it did.';
comment on column sync.reconcile_run.repair is 'Whether the run queued repairs (--repair), or only reported.';
comment on column sync.reconcile_run.trigger is 'command: geofa-sync reconcile; schedule: the service''s --reconcile-every; gap: the service noticed events may have been lost.';
comment on column sync.reconcile_run.outcome is 'running, succeeded (every table compared), failed (message says why; tables compared before are in sync.reconcile_table).';

create table sync.reconcile_table (
    run_id            bigint      not null references sync.reconcile_run (id) on delete cascade,
    source_table      varchar     not null,
    theme             varchar     not null,
    vk_rows           bigint      not null,
    geofa_objects     bigint      not null,
    buckets           integer     not null,
    differing_buckets integer     not null,
    in_flight         integer     not null,
    changed_in_geofa  integer     not null,
    stale             integer     not null,
    missing           integer     not null,
    not_written_back  integer     not null,
    deleted_in_vk     integer     not null,
    orphan            integer     not null,
    linked_twice      integer     not null,
    not_visible       integer     not null,
    ambiguous         integer     not null,
    no_noegle         integer     not null,
    linked            integer     not null,
    repairs_queued    integer     not null,
    geofa_requests    integer     not null,
    vk_seconds        numeric(10, 3) not null,
    geofa_seconds     numeric(10, 3) not null,
    compared_at       timestamptz not null default now(),
    primary key (run_id, source_table)
);

comment on table sync.reconcile_table is
    'Per reconcile and VK table: what was compared and how many differences of each kind were found. The kinds are explained in the README (Reconcile).';
comment on column sync.reconcile_table.run_id is 'The reconcile (sync.reconcile_run).';
comment on column sync.reconcile_table.source_table is 'The VK table, schema.table as in the mapping.';
comment on column sync.reconcile_table.theme is 'The GeoFA theme it syncs to.';
comment on column sync.reconcile_table.vk_rows is 'Rows of the VK table compared.';
comment on column sync.reconcile_table.geofa_objects is 'Current GeoFA objects carrying this table''s noegle.';
comment on column sync.reconcile_table.vk_seconds is 'Time spent reading and fingerprinting VK''s rows.';
comment on column sync.reconcile_table.geofa_seconds is 'Time spent waiting for GeoFA''s answers (the request budget''s waits included).';
comment on column sync.reconcile_table.compared_at is 'When the table''s comparison ended.';
comment on column sync.reconcile_table.buckets is 'Buckets of correlation keys compared by fingerprint (count and hash sum) in one GeoFA request.';
comment on column sync.reconcile_table.differing_buckets is 'Buckets whose fingerprints differed; only their rows were read.';
comment on column sync.reconcile_table.in_flight is 'Rows with events still on their way (or changed during the reconcile): not judged this time.';
comment on column sync.reconcile_table.changed_in_geofa is 'Objects whose values differ and whose GeoFA version is not the one the sync wrote: edited in GeoFA behind the sync. VK wins on repair.';
comment on column sync.reconcile_table.stale is 'Objects whose values differ from the VK row while GeoFA holds the version the sync wrote.';
comment on column sync.reconcile_table.missing is 'VK rows with no object in GeoFA (no objekt_id, or one GeoFA closed).';
comment on column sync.reconcile_table.not_written_back is 'Objects GeoFA holds under the row''s noegle whose objekt_id never reached the VK row.';
comment on column sync.reconcile_table.deleted_in_vk is 'Objects still current in GeoFA whose VK rows are gone.';
comment on column sync.reconcile_table.orphan is 'GeoFA objects with this table''s noegle that neither VK nor the sync knows; deleted only with --delete-orphans.';
comment on column sync.reconcile_table.linked_twice is 'Two rows naming one objekt_id, or one noegle on two objects: a person decides.';
comment on column sync.reconcile_table.not_visible is 'Rows naming an objekt_id GeoFA shows neither current nor closed (its read rules may hide it): never created anew.';
comment on column sync.reconcile_table.ambiguous is 'With --link: rows that fit more than one object already in GeoFA, or whose object fits other rows too; never guessed.';
comment on column sync.reconcile_table.linked is 'With --link: rows linked to objects already in GeoFA by the mapping''s match rule.';
comment on column sync.reconcile_table.no_noegle is 'Rows linked to an object made before geofa-sync that lacks the row''s noegle: compared, found by objekt_id.';
comment on column sync.reconcile_table.repairs_queued is 'Events the run put into sync.outbox to repair what it found (0 without --repair).';
comment on column sync.reconcile_table.geofa_requests is 'GeoFA requests the comparison of this table used.';

create table sync.reconcile_difference (
    run_id       bigint      not null references sync.reconcile_run (id) on delete cascade,
    source_table varchar     not null,
    row_key      varchar     not null,
    kind         varchar     not null,
    objekt_id    uuid,
    columns      varchar[]   not null default '{}',
    repair       varchar     not null,
    queued       boolean     not null default false
);

comment on table sync.reconcile_difference is
    'Each difference a reconcile found: the row''s key, the GeoFA object, the columns that differ (names only) and what --repair does about it.';
comment on column sync.reconcile_difference.run_id is 'The reconcile (sync.reconcile_run).';
comment on column sync.reconcile_difference.source_table is 'The VK table.';
comment on column sync.reconcile_difference.row_key is 'The VK row''s key (for an orphan: the key in GeoFA''s noegle).';
comment on column sync.reconcile_difference.kind is 'changed_in_geofa, stale, missing, not_written_back, deleted_in_vk, orphan, linked_twice, not_visible, ambiguous, no_noegle or linked (README, Reconcile).';
comment on column sync.reconcile_difference.objekt_id is 'The GeoFA object concerned, if one is.';
comment on column sync.reconcile_difference.columns is 'The GeoFA columns whose values differ (names only, never values).';
comment on column sync.reconcile_difference.repair is 'none (a person decides), send_state, create_again, write_back_id, delete or delete_orphan.';
comment on column sync.reconcile_difference.queued is 'Whether the repair was put into sync.outbox by this run.';

create index reconcile_difference_run_idx on sync.reconcile_difference (run_id, source_table);

-- [jooq ignore start]
create view sync.reconcile_latest as
select distinct on (t.source_table) t.source_table, r.id as run_id, r.finished_at, r.repair,
       t.changed_in_geofa + t.stale + t.missing + t.not_written_back + t.deleted_in_vk + t.orphan + t.linked_twice + t.not_visible
           + t.ambiguous as differences,
       t.changed_in_geofa, t.stale, t.missing, t.not_written_back, t.deleted_in_vk, t.orphan, t.linked_twice, t.not_visible, t.ambiguous,
       t.no_noegle, t.linked,
       t.in_flight, t.repairs_queued, t.vk_rows, t.geofa_objects, t.geofa_requests
  from sync.reconcile_table t join sync.reconcile_run r on r.id = t.run_id
 order by t.source_table, r.id desc;

comment on view sync.reconcile_latest is 'Per VK table, the most recent reconcile''s result: how many differences of each kind, and what was repaired.';
-- [jooq ignore stop]
