-- geofa-sync: capture that costs the staff's statement almost nothing (issue 16).
--
-- The capture trigger no longer writes the change itself: it writes only the keys of the rows a
-- statement touched into sync.captured_key (one set-based INSERT, no per-column work, no index).
-- The pump, run by the relay under its lease, moves them into sync.outbox: it reads the rows'
-- current synced columns from VK, compares them with sync.captured_row (what the outbox last said
-- of each row) and writes an insert, an update of the changed columns only, a delete, or nothing
-- (a change of VK-only columns). Everything downstream of sync.outbox is as before.
--
-- Several changes of one row between two pumps become one event carrying the latest values: GeoFA
-- gets the row's state in VK's commit order, with fewer requests.

create table sync.captured_key (
    source_table varchar     not null,
    row_key      varchar     not null,
    objekt_id    varchar,
    captured_at  timestamptz not null default now(),
    txid         xid8        not null default pg_current_xact_id()
);

comment on table sync.captured_key is
    'Keys of VK rows changed since the pump last looked, written by the capture triggers in the same transaction as the change (a key an UPDATE changed appears under its old and its new value). The pump (in the relay) deletes the rows it has turned into sync.outbox rows. No index on purpose: every index is paid on the staff''s write path, and the pump takes the rows in bulk.';
comment on column sync.captured_key.source_table is 'The VK table, schema.table as in the mapping.';
comment on column sync.captured_key.row_key is 'The changed row''s primary key value, as text.';
comment on column sync.captured_key.objekt_id is 'DELETE, and the old key of a key change: the row''s objekt_id then (that row is gone when the pump looks); the delete event carries it as the last known objekt_id.';
comment on column sync.captured_key.captured_at is 'Start time of the VK transaction that made the change (now()); becomes sync.outbox.captured_at.';
comment on column sync.captured_key.txid is 'Id of the VK transaction that made the change; becomes sync.outbox.txid.';

create table sync.captured_row (
    source_table varchar not null,
    row_key      varchar not null,
    objekt_id    varchar,
    synced       hstore  not null,
    primary key (source_table, row_key)
);

comment on table sync.captured_row is
    'Each captured VK row as sync.outbox last described it: the pump compares the row''s current synced columns with these to write only what changed (old and new values). Seeded from the VK table when install-triggers installs or changes its capture; rows of deleted VK rows are removed by the pump.';
comment on column sync.captured_row.source_table is 'The VK table, schema.table as in the mapping.';
comment on column sync.captured_row.row_key is 'The row''s primary key value, as text.';
comment on column sync.captured_row.objekt_id is 'GeoFA''s objekt_id as the pump last read it from VK; a delete carries it as its last known objekt_id.';
comment on column sync.captured_row.synced is 'The synced columns (as text, geometry as hex EWKB) as the outbox last described them.';

alter table sync.captured_table add column pump_function varchar;
comment on column sync.captured_table.pump_function is 'The function (in schema sync) that moves the table''s captured keys into sync.outbox; null for triggers installed before version 12, which write sync.outbox themselves.';
comment on column sync.captured_table.trigger_functions is 'The functions installed for the table (in schema sync): the trigger functions and the pump.';

-- [jooq ignore start]
-- The relay calls this before each batch: every captured table's pump in turn, up to max_keys keys
-- of each (so a backlog in one table never holds up another). Returns how many keys it took in all
-- (0: nothing waited; less than max_keys: no table had more). A table whose pump fails (a synced
-- column renamed in VK, say) is passed over with a WARNING naming it, which the relay reports; the
-- other tables go on, and the failed table's keys wait for the next call. The table's pump lock is
-- taken before its function is looked up, so a pump that waited for install-triggers runs the
-- function that install made, not the one it replaced.
create function sync.pump_captured_keys(max_keys integer) returns bigint
    language plpgsql
    set search_path = pg_catalog
as $$
declare
    t record;
    taken bigint := 0;
    n bigint;
begin
    for t in select source_table, pump_function from sync.captured_table where pump_function is not null order by source_table loop
        begin
            perform pg_advisory_xact_lock(hashtext('geofa-sync pump ' || t.source_table));
            execute format('select sync.%I($1)', t.pump_function) into n using max_keys;
            taken := taken + n;
        exception when others then
            raise warning 'geofa-sync: the captured keys of % wait: % (SQLSTATE %)', t.source_table, sqlerrm, sqlstate;
        end;
    end loop;
    return taken;
end
$$;
comment on function sync.pump_captured_keys(integer) is 'geofa-sync: moves up to max_keys captured keys of each captured table into sync.outbox (called by the relay under its lease); returns the keys taken in all. A failing table is passed over with a WARNING.';

-- what V1 said of the outbox when the triggers wrote it
comment on table sync.outbox is
    'One row per change of a row of a synced VK table: written by the pump (from the keys the capture triggers wrote in the staff''s transaction; several changes of one row between two pumps become one row), by backfill, replay and reconcile. The relay publishes each row once to Kafka (topic geofa-sync.changes) and then sets published_at; housekeeping deletes published rows after the retention. Values are text in hstore; the relay shapes the JSON event.';
comment on column sync.outbox.id is
    'Sequence number taken when the row is written; part of the event id. The pump writes a row''s changes in the order their transactions committed (it takes only committed keys, one table at a time under a lock).';
comment on column sync.outbox.txid is
    'Id of the VK transaction that made the change (of several coalesced changes, the latest).';
comment on column sync.outbox.captured_at is
    'Start time of the VK transaction that made the change (of several coalesced changes, the earliest).';

-- Pending now means in the outbox or still a captured key.
create or replace view sync.outbox_pending as
select source_table,
       count(*)                     as pending,
       min(captured_at)             as oldest_captured_at,
       now() - min(captured_at)     as oldest_age
  from (select source_table, captured_at from sync.outbox where published_at is null
        union all
        select source_table, captured_at from sync.captured_key) p
 group by source_table;
comment on view sync.outbox_pending is 'Changes not yet published to Kafka (outbox rows and captured keys the pump has not taken yet), per VK table, with the age of the oldest. Empty when the relay keeps up.';
-- [jooq ignore stop]
