-- geofa-sync: the "sync" schema in the VK database.
--
-- Flyway creates the schema and keeps its history in sync.flyway_schema_history.
-- Every table and column carries a comment, so a DBA can read the design with \d+ in psql.
--
-- The flow: a capture trigger on a VK table writes sync.outbox; the relay publishes those rows to
-- Kafka and records where it stands in sync.relay_progress; the applier records each event it
-- handles in sync.inbox, links VK rows to GeoFA objects in sync.object_link, writes what it changed
-- to sync.change_log and what it could not apply to sync.dead_letter; sync.run counts each run.

-- hstore is built in C: the capture trigger diffs OLD and NEW with it far more cheaply than with
-- jsonb in PL/pgSQL (the capture issue measured 0.77 vs 0.40-0.50 of the trigger-less throughput).
-- It is a trusted extension since PostgreSQL 13: the database owner may create it. It goes into
-- schema public (where VK's PostGIS usually is), not into sync: Flyway runs this script with
-- search_path = sync, and a type that only resolves inside sync would fail in every other session.
-- A database that already has hstore in another schema keeps it there.
-- [jooq ignore start]
create extension if not exists hstore with schema public;
-- [jooq ignore stop]

----------------------------------------------------------------------------------------------------
-- outbox
----------------------------------------------------------------------------------------------------
create table sync.outbox (
    id           bigint generated always as identity primary key,
    txid         xid8        not null default pg_current_xact_id(),
    source_table varchar        not null,
    row_key      varchar        not null,
    op           char(1)     not null,
    old_values   hstore,
    new_values   hstore,
    captured_at  timestamptz not null default now(),
    published_at timestamptz,
    constraint outbox_op_check check (op in ('I', 'U', 'D'))
);

comment on table sync.outbox is
    'One row per captured change of a row of a synced VK table, written by the capture trigger in the same transaction as the change. The relay publishes each row once to Kafka (topic geofa-sync.changes) and then sets published_at; housekeeping deletes published rows after the retention. Values are kept as text in hstore so the trigger does no conversion work; the relay shapes the JSON event.';
comment on column sync.outbox.id is
    'Sequence number taken when the row is written (not when its transaction commits: a long transaction can commit after rows with higher ids). Unique per VK database; part of the event id.';
comment on column sync.outbox.txid is
    'Id of the VK transaction that made the change (pg_current_xact_id()). Changes of one transaction share it; the relay uses it to tell committed from in-flight transactions.';
comment on column sync.outbox.source_table is
    'The VK table the change was made in, schema-qualified as in the mapping file, e.g. vk.fac_pkt.';
comment on column sync.outbox.row_key is
    'The changed row''s primary key value, as text. With source_table it names the object; it is the Kafka key, so all changes of one object stay in order on one partition.';
comment on column sync.outbox.op is
    'I = insert (or a backfill of an existing row), U = update of at least one synced column, D = delete.';
comment on column sync.outbox.old_values is
    'U: the values before the change of exactly the synced columns that changed (its keys are the changed columns). D: the synced columns of the deleted row, including the last known objekt_id. I: null. Geometry as hex EWKB.';
comment on column sync.outbox.new_values is
    'I and U: every synced column of the row after the change (the after-image). D: null. Geometry as hex EWKB; the relay turns it into GeoJSON in EPSG:25832.';
comment on column sync.outbox.captured_at is
    'Start time of the VK transaction that made the change (now()).';
comment on column sync.outbox.published_at is
    'When Kafka acknowledged the event; null while it waits for the relay.';

-- The relay's working set: only unpublished rows, in id order. Small, because rows leave it as
-- soon as they are published.
create index outbox_unpublished_idx on sync.outbox (id) where published_at is null;
-- Housekeeping deletes published rows by age.
create index outbox_published_at_idx on sync.outbox (published_at) where published_at is not null;
-- No index on (source_table, row_key): every index here is paid on the staff's write path (that
-- one cost about 5 microseconds per captured row, a third of a bulk UPDATE's capture cost), and
-- the outbox only holds recent rows; "what happened to this object" is answered by sync.inbox
-- and sync.change_log, which are indexed by object.

----------------------------------------------------------------------------------------------------
-- relay progress (the seed's "program parameter" table)
----------------------------------------------------------------------------------------------------
create table sync.relay_progress (
    relay_name       varchar        primary key,
    last_outbox_id   bigint      not null default 0,
    last_txid        xid8,
    events_published bigint      not null default 0,
    holder           varchar,
    lease_until      timestamptz,
    updated_at       timestamptz not null default now()
);

comment on table sync.relay_progress is
    'Where each relay stands. One row per relay name; the row is also the relay''s lease, so two relay processes with the same name never publish at the same time.';
comment on column sync.relay_progress.relay_name is 'Name of the relay, from its configuration.';
comment on column sync.relay_progress.last_outbox_id is
    'Highest outbox id this relay has published. Informational: rows are selected by published_at, not by this pointer, because ids do not arrive in commit order.';
comment on column sync.relay_progress.last_txid is 'Transaction id of the last published outbox row.';
comment on column sync.relay_progress.events_published is 'Events this relay has published in all.';
comment on column sync.relay_progress.holder is
    'The process that holds the lease (host:pid), or null when no relay runs.';
comment on column sync.relay_progress.lease_until is
    'The holder must renew its lease before this time; after it another process may take over.';
comment on column sync.relay_progress.updated_at is 'When this row last changed.';

----------------------------------------------------------------------------------------------------
-- runs
----------------------------------------------------------------------------------------------------
create table sync.run (
    id                 bigint generated always as identity primary key,
    kind               varchar        not null,
    started_at         timestamptz not null default now(),
    finished_at        timestamptz,
    outcome            varchar        not null default 'running',
    events_received    integer     not null default 0,
    created_count      integer     not null default 0,
    updated_count      integer     not null default 0,
    deleted_count      integer     not null default 0,
    skipped_count      integer     not null default 0,
    dead_letter_count  integer     not null default 0,
    message            text,
    host               varchar,
    constraint run_kind_check check (kind in ('service', 'once', 'backfill', 'retry', 'demo')),
    constraint run_outcome_check check (outcome in ('running', 'succeeded', 'partial', 'failed')),
    constraint run_finished_check check ((outcome = 'running') = (finished_at is null))
);

comment on table sync.run is
    'One row per run: a cron run (geofa-sync once), a batch of the service, a backfill or a retry of dead letters. Staff read it to see whether a sync succeeded.';
comment on column sync.run.id is 'Number of the run, in the order runs started.';
comment on column sync.run.kind is 'service, once, backfill, retry or demo.';
comment on column sync.run.started_at is 'When the run started.';
comment on column sync.run.finished_at is 'When the run ended; null while it is running.';
comment on column sync.run.outcome is
    'running; succeeded (everything applied); partial (something went to dead letters); failed (the run could not complete, see message).';
comment on column sync.run.events_received is 'Change events the run handled.';
comment on column sync.run.created_count is 'Objects created in GeoFA.';
comment on column sync.run.updated_count is 'Objects updated in GeoFA.';
comment on column sync.run.deleted_count is 'Objects deleted (closed) in GeoFA.';
comment on column sync.run.skipped_count is 'Events that needed no GeoFA call (duplicates, no synced change).';
comment on column sync.run.dead_letter_count is 'Events that went to dead letters.';
comment on column sync.run.message is 'Why a run failed or was partial, in words for staff.';
comment on column sync.run.host is 'The machine and process that ran it (host:pid).';

create index run_started_at_idx on sync.run (started_at);

----------------------------------------------------------------------------------------------------
-- inbox
----------------------------------------------------------------------------------------------------
create table sync.inbox (
    event_id     varchar        primary key,
    source_table varchar        not null,
    row_key      varchar        not null,
    op           char(1)     not null,
    kafka_topic  varchar,
    kafka_partition integer,
    kafka_offset bigint,
    state        varchar        not null default 'received',
    attempts     integer     not null default 0,
    last_error   text,
    result       jsonb,
    run_id       bigint      references sync.run (id) on delete set null,
    received_at  timestamptz not null default now(),
    handled_at   timestamptz,
    constraint inbox_op_check check (op in ('I', 'U', 'D')),
    constraint inbox_state_check check (state in ('received', 'applied', 'skipped', 'waiting', 'dead_lettered'))
);

comment on table sync.inbox is
    'Change events the applier has taken from Kafka, one row per event. An event already here in a final state is not applied again when Kafka delivers it twice.';
comment on column sync.inbox.event_id is 'The event''s id from the change contract (unique per VK database).';
comment on column sync.inbox.source_table is 'The VK table the change came from.';
comment on column sync.inbox.row_key is 'The VK primary key of the changed row.';
comment on column sync.inbox.op is 'I, U or D, as in sync.outbox.';
comment on column sync.inbox.kafka_topic is 'Topic the event was read from.';
comment on column sync.inbox.kafka_partition is 'Partition the event was read from.';
comment on column sync.inbox.kafka_offset is 'Offset the event was read at.';
comment on column sync.inbox.state is
    'received (being handled); applied (GeoFA changed); skipped (nothing to do); waiting (behind an earlier event of the same object); dead_lettered (see sync.dead_letter).';
comment on column sync.inbox.attempts is 'How many times the applier tried to apply it.';
comment on column sync.inbox.last_error is 'The last error, with GeoFA''s message where there was one.';
comment on column sync.inbox.result is 'What GeoFA answered, e.g. {"objekt_id": "...", "versions_id": "..."}.';
comment on column sync.inbox.run_id is 'The run that handled it.';
comment on column sync.inbox.received_at is 'When the applier first saw it.';
comment on column sync.inbox.handled_at is 'When it reached a final state.';

create index inbox_object_idx on sync.inbox (source_table, row_key);
create index inbox_open_idx on sync.inbox (received_at) where state in ('received', 'waiting');

----------------------------------------------------------------------------------------------------
-- object link: VK row <-> GeoFA object, and the create intent
----------------------------------------------------------------------------------------------------
create table sync.object_link (
    source_table    varchar        not null,
    row_key         varchar        not null,
    theme           varchar        not null,
    objekt_id       uuid,
    versions_id     uuid,
    correlation_key varchar        not null,
    state           varchar        not null,
    create_sent_at  timestamptz,
    last_event_id   varchar,
    last_synced_at  timestamptz,
    created_at      timestamptz not null default now(),
    primary key (source_table, row_key),
    constraint object_link_state_check check (state in ('create_pending', 'linked', 'deleted')),
    constraint object_link_id_check check (state = 'create_pending' or objekt_id is not null)
);

comment on table sync.object_link is
    'Which GeoFA object each synced VK row is. A row is written as create_pending BEFORE a create is sent to GeoFA (the create intent): if the answer is lost, the applier finds the intent and looks the correlation key up in GeoFA instead of creating a second object.';
comment on column sync.object_link.source_table is 'The VK table, as in the mapping file.';
comment on column sync.object_link.row_key is 'The VK primary key value, as text.';
comment on column sync.object_link.theme is 'The GeoFA theme, e.g. t_5800_fac_pkt.';
comment on column sync.object_link.objekt_id is 'GeoFA''s id of the object; null only while create_pending.';
comment on column sync.object_link.versions_id is 'GeoFA''s id of the object''s current version, after our last write.';
comment on column sync.object_link.correlation_key is
    'What the applier puts in GeoFA''s noegle column to find the object again, e.g. vk.fac_pkt:42.';
comment on column sync.object_link.state is
    'create_pending (a create was or is about to be sent, answer not yet recorded); linked; deleted (closed in GeoFA).';
comment on column sync.object_link.create_sent_at is 'When the last create was sent.';
comment on column sync.object_link.last_event_id is 'The last change event applied to this object.';
comment on column sync.object_link.last_synced_at is 'When GeoFA last confirmed a write of this object.';
comment on column sync.object_link.created_at is 'When the link row was made.';

create unique index object_link_objekt_id_idx on sync.object_link (objekt_id) where objekt_id is not null;
create index object_link_pending_idx on sync.object_link (create_sent_at) where state = 'create_pending';

----------------------------------------------------------------------------------------------------
-- change log (what was changed in GeoFA, from what to what; purged after the retention: GDPR)
----------------------------------------------------------------------------------------------------
create table sync.change_log (
    id           bigint generated always as identity primary key,
    run_id       bigint      references sync.run (id) on delete set null,
    event_id     varchar        not null,
    source_table varchar        not null,
    row_key      varchar        not null,
    theme        varchar        not null,
    objekt_id    uuid,
    op           char(1)     not null,
    column_name  varchar        not null,
    old_value    text,
    new_value    text,
    applied_at   timestamptz not null default now(),
    constraint change_log_op_check check (op in ('I', 'U', 'D'))
);

comment on table sync.change_log is
    'What geofa-sync changed in GeoFA: one row per object and GeoFA column. Kept for a limited time (default 30 days, see purge); values of columns marked sensitive in the mapping are masked.';
comment on column sync.change_log.id is 'Order in which changes were logged.';
comment on column sync.change_log.run_id is 'The run that applied the change.';
comment on column sync.change_log.event_id is 'The change event that was applied.';
comment on column sync.change_log.source_table is 'The VK table.';
comment on column sync.change_log.row_key is 'The VK primary key value.';
comment on column sync.change_log.theme is 'The GeoFA theme.';
comment on column sync.change_log.objekt_id is 'GeoFA''s id of the object.';
comment on column sync.change_log.op is 'I (created), U (updated) or D (deleted) in GeoFA.';
comment on column sync.change_log.column_name is 'The GeoFA column.';
comment on column sync.change_log.old_value is 'Value before, as text (null for a create); geometry as GeoJSON.';
comment on column sync.change_log.new_value is 'Value after, as text (null for a delete); geometry as GeoJSON.';
comment on column sync.change_log.applied_at is 'When GeoFA accepted it.';

create index change_log_applied_at_idx on sync.change_log (applied_at);
create index change_log_object_idx on sync.change_log (source_table, row_key);

----------------------------------------------------------------------------------------------------
-- dead letters
----------------------------------------------------------------------------------------------------
create table sync.dead_letter (
    id            bigint generated always as identity primary key,
    event_id      varchar        not null,
    source_table  varchar        not null,
    row_key       varchar        not null,
    theme         varchar,
    objekt_id     uuid,
    op            char(1)     not null,
    column_name   varchar,
    reason        varchar        not null,
    geofa_message text,
    payload       jsonb       not null,
    status        varchar        not null default 'open',
    attempts      integer     not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    resolved_at   timestamptz,
    constraint dead_letter_op_check check (op in ('I', 'U', 'D')),
    constraint dead_letter_status_check check (status in ('open', 'resolved', 'superseded', 'discarded')),
    constraint dead_letter_resolved_check check ((status = 'open') = (resolved_at is null))
);

comment on table sync.dead_letter is
    'Change events that could not be applied to GeoFA, with the reason in words for staff. Later events of the same object wait behind an open letter; other objects go on. Staff fix the VK row and retry (geofa-sync dead-letters retry ID), or a newer change of the object supersedes it.';
comment on column sync.dead_letter.id is 'Number of the letter; staff name it in geofa-sync dead-letters show|retry ID.';
comment on column sync.dead_letter.event_id is 'The change event that failed.';
comment on column sync.dead_letter.source_table is 'The VK table of the object.';
comment on column sync.dead_letter.row_key is 'The VK primary key of the object.';
comment on column sync.dead_letter.theme is 'The GeoFA theme, when the mapping was found.';
comment on column sync.dead_letter.objekt_id is 'GeoFA''s id of the object, when it has one.';
comment on column sync.dead_letter.op is 'I, U or D.';
comment on column sync.dead_letter.column_name is 'The column at fault, when GeoFA or the validation named one.';
comment on column sync.dead_letter.reason is
    'Why, in a few words for staff: e.g. "off_kode 99 is not in code list d_basis_offentlig".';
comment on column sync.dead_letter.geofa_message is 'GeoFA''s own message, verbatim, when GeoFA refused the change.';
comment on column sync.dead_letter.payload is 'The change event as it was received (the versioned JSON contract).';
comment on column sync.dead_letter.status is
    'open; resolved (a retry applied it); superseded (a newer change of the object was applied); discarded (staff gave it up).';
comment on column sync.dead_letter.attempts is 'How many times it was tried, retries included.';
comment on column sync.dead_letter.created_at is 'When it first failed.';
comment on column sync.dead_letter.updated_at is 'When it last changed.';
comment on column sync.dead_letter.resolved_at is 'When it left the open state.';

create index dead_letter_open_object_idx on sync.dead_letter (source_table, row_key) where status = 'open';
create index dead_letter_created_at_idx on sync.dead_letter (created_at);
