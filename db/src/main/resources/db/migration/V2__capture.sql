-- geofa-sync: what capture needs beyond the outbox: the registry of captured tables, a guard
-- against TRUNCATE, and views for DBAs.

create table sync.captured_table (
    source_table      varchar     primary key,
    theme             varchar     not null,
    key_column        varchar     not null,
    objekt_id_column  varchar     not null,
    synced_columns    varchar[]   not null,
    trigger_functions varchar[]   not null,
    installed_at      timestamptz not null default now()
);

comment on table sync.captured_table is 'The VK tables geofa-sync captures changes of, as geofa-sync install-triggers last installed them from the mapping. geofa-sync uninstall-triggers removes the triggers of every table listed here.';
comment on column sync.captured_table.source_table is 'The VK table, schema.table.';
comment on column sync.captured_table.theme is 'The GeoFA theme it syncs to.';
comment on column sync.captured_table.key_column is 'The VK primary key column; its value is the outbox row_key.';
comment on column sync.captured_table.objekt_id_column is 'The VK column holding GeoFA''s objekt_id; its changes alone are not captured.';
comment on column sync.captured_table.synced_columns is 'The VK columns whose changes are captured, in mapping order.';
comment on column sync.captured_table.trigger_functions is 'The trigger functions installed for the table (in schema sync).';
comment on column sync.captured_table.installed_at is 'When the triggers were last installed or updated.';

-- [jooq ignore start]
-- TRUNCATE fires no delete triggers: the deletes would never reach GeoFA. Refuse it on captured tables.
create function sync.refuse_truncate() returns trigger language plpgsql as $$
begin
    raise exception 'geofa-sync: TRUNCATE of %.% is refused: its deletes would not reach GeoFA', tg_table_schema, tg_table_name
        using hint = 'Delete the rows with DELETE, or run geofa-sync uninstall-triggers first.';
end $$;
comment on function sync.refuse_truncate() is 'Trigger function of geofa-sync: refuses TRUNCATE of a captured VK table (its deletes would be lost).';

create view sync.outbox_pending as
select source_table,
       count(*)                     as pending,
       min(captured_at)             as oldest_captured_at,
       now() - min(captured_at)     as oldest_age
  from sync.outbox
 where published_at is null
 group by source_table;
comment on view sync.outbox_pending is 'Outbox rows not yet published to Kafka, per VK table, with the age of the oldest. Empty when the relay keeps up.';

create view sync.outbox_recent as
select id,
       captured_at,
       source_table,
       row_key,
       case op when 'I' then 'insert' when 'U' then 'update' else 'delete' end as operation,
       case op when 'U' then array_to_string(akeys(old_values), ', ') end        as changed_columns,
       published_at
  from sync.outbox
 order by id desc
 limit 1000;
comment on view sync.outbox_recent is 'The last 1000 captured changes, newest first, readable: table, key, operation and (for updates) the changed columns.';
-- [jooq ignore stop]
