package dk.geofasync.capture.install;

import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of the capture of one VK table: its triggers, its pump and the seed of its rows' images.
 *
 * <p>The triggers are statement-level with transition tables and write only the keys of the rows
 * a statement touched, into {@code sync.captured_key}: one set-based INSERT per statement, no
 * per-column work, no index, so the staff's statement pays as little as a trigger can make it pay
 * (the write-cost issue measured hstore images per row at 5.5x a bulk UPDATE's time). The pump,
 * which the relay runs under its lease, does the rest off the staff's write path: it reads the
 * touched rows' current synced columns, compares them with {@code sync.captured_row} and writes
 * an insert, an update of just the changed columns (old and new values), a delete, or nothing
 * (only VK-only columns changed) into {@code sync.outbox}. The pump and the keys it deletes share
 * one snapshot with the rows it reads, so a key whose transaction commits later stays for the
 * next pump: no change is skipped, whatever order transactions commit in.
 *
 * <p>The functions are SECURITY DEFINER with a fixed search_path, so staff who edit VK need no
 * rights on schema sync, and the functions cannot be tricked by a session's search_path. DateStyle
 * is fixed to ISO so keys and dates reach the outbox the same way whatever the session set.
 */
public final class CaptureTriggerSql {

    /** The session marker of geofa-sync's own write-back; its changes are not captured (no echo). */
    static final String ORIGIN_SETTING = "geofa_sync.origin";
    static final String WRITE_BACK = "write-back";

    static final String INSERT_TRIGGER = "geofa_sync_capture_insert";
    static final String UPDATE_TRIGGER = "geofa_sync_capture_update";
    static final String DELETE_TRIGGER = "geofa_sync_capture_delete";
    static final String KEY_CHANGE_TRIGGER = "geofa_sync_capture_key_change";
    static final String TRUNCATE_TRIGGER = "geofa_sync_refuse_truncate";

    /**
     * The pump's settings: no schema but pg_catalog on its path (it runs as whoever installed it; hstore
     * is named with its schema), and values made text the same way in every session, so the row
     * compared now and the image stored earlier agree wherever they were made.
     */
    private static final String TEXT_SETTINGS = """
            set search_path = pg_catalog, pg_temp
            set datestyle = 'ISO, YMD'
            set timezone = 'UTC'
            set intervalstyle = 'postgres'
            set extra_float_digits = 1""";

    private final TableMapping table;
    private final String hstoreSchema;
    private final boolean notify;
    private final String keyType;

    /**
     * @param notify whether the triggers NOTIFY the relay at commit. Off by default: NOTIFY serialises
     *        notifying commits on a global lock, measured to cost a third of the staff's single-row
     *        write throughput; the relay's 100 ms poll gives sub-second latency without it
     * @param keyType the key column's SQL type (format_type), so the pump finds rows by the primary key's index
     */
    public CaptureTriggerSql(TableMapping table, String hstoreSchema, boolean notify, String keyType) {
        this.table = table;
        this.hstoreSchema = hstoreSchema;
        this.notify = notify;
        this.keyType = keyType;
    }

    /** The trigger functions' names (in schema sync): insert, update, key change, delete. */
    List<String> triggerFunctionNames() {
        return List.of(functionName("i"), functionName("u"), functionName("k"), functionName("d"));
    }

    /** The pump's name (in schema sync). */
    String pumpFunctionName() {
        return functionName("p");
    }

    /** Creates or replaces the functions and triggers; safe to run again after the mapping changed. */
    String install() {
        String source = SqlIdentifier.literal(table.table().toString());
        String key = SqlIdentifier.quote(table.keyColumn());
        String insert = triggerFunction(functionName("i"), """
                insert into sync.captured_key (source_table, row_key) select %1$s, n.%2$s::text from new_rows n;"""
                .formatted(source, key));
        // the new rows only: PostgreSQL then keeps no copy of the old ones for the statement
        String update = triggerFunction(functionName("u"), """
                insert into sync.captured_key (source_table, row_key) select %1$s, n.%2$s::text from new_rows n;"""
                .formatted(source, key));
        // a key an UPDATE changed is captured under its old value too (the pump then deletes the old row in GeoFA): a
        // row trigger whose WHEN PostgreSQL checks per row without calling it, so it runs only for a changed key
        String keyChange = triggerFunction(functionName("k"), """
                insert into sync.captured_key (source_table, row_key, objekt_id) values (%1$s, old.%2$s::text, old.%3$s::text);"""
                .formatted(source, key, SqlIdentifier.quote(table.objektIdColumn())));
        // the deleted row's objekt_id goes along: when the pump looks, the row is gone
        String delete = triggerFunction(functionName("d"), """
                insert into sync.captured_key (source_table, row_key, objekt_id) select %1$s, o.%2$s::text, o.%3$s::text from old_rows o;"""
                .formatted(source, key, SqlIdentifier.quote(table.objektIdColumn())));
        String t = table.table().quoted();
        return insert + update + keyChange + delete + pump() + """
                create or replace trigger %5$s after insert on %1$s referencing new table as new_rows
                    for each statement execute function sync.%2$s();
                create or replace trigger %6$s after update on %1$s referencing new table as new_rows
                    for each statement execute function sync.%3$s();
                create or replace trigger %9$s after update on %1$s for each row when (old.%10$s is distinct from new.%10$s)
                    execute function sync.%11$s();
                create or replace trigger %7$s after delete on %1$s referencing old table as old_rows
                    for each statement execute function sync.%4$s();
                create or replace trigger %8$s before truncate on %1$s
                    for each statement execute function sync.refuse_truncate();
                """.formatted(t, SqlIdentifier.quote(functionName("i")), SqlIdentifier.quote(functionName("u")),
                SqlIdentifier.quote(functionName("d")), INSERT_TRIGGER, UPDATE_TRIGGER, DELETE_TRIGGER, TRUNCATE_TRIGGER, KEY_CHANGE_TRIGGER, key,
                SqlIdentifier.quote(functionName("k")));
    }

    /**
     * The pump: takes up to {@code max_keys} of the table's captured keys and writes what changed
     * into the outbox, in one statement. Several keys of one row become one event with the row's
     * latest values; the event keeps the earliest capture time and the latest transaction id.
     */
    private String pump() {
        String source = SqlIdentifier.literal(table.table().toString());
        String objektId = SqlIdentifier.literal(table.objektIdColumn());
        String hs = SqlIdentifier.quote(hstoreSchema);
        String rows = "(select t.* from " + table.table().quoted() + " t where t." + SqlIdentifier.quote(table.keyColumn())
                + " = any (array(select k.row_key::" + keyType + " from keys k)))";
        // one pump per table at a time (the relay's, or install-triggers' before it replaces the pump): two
        // pumps taking keys of one row would both compare it with the same image and both publish it
        String body = """
                perform pg_advisory_xact_lock(hashtext('geofa-sync pump ' || %1$s));
                with taken as (
                    delete from sync.captured_key c
                     where c.ctid = any (array(select k.ctid from sync.captured_key k where k.source_table = %1$s limit max_keys))
                    returning c.row_key, c.objekt_id, c.captured_at, c.txid
                ), keys as (
                    select row_key, min(captured_at) as captured_at, (array_agg(txid order by txid desc))[1] as txid,
                           (array_agg(objekt_id order by txid desc) filter (where objekt_id is not null))[1] as deleted_oid
                      from taken group by row_key
                ), now_rows as (
                    %3$s
                ), was as (
                    select m.row_key, m.objekt_id, m.synced from sync.captured_row m
                     where m.source_table = %1$s and m.row_key = any (array(select k.row_key from keys k))
                ), diff as (
                    select coalesce(n.k, w.row_key) as k,
                           case when w.row_key is null then 'I' when n.k is null then 'D' else 'U' end as op,
                           n.oid, n.h, w.objekt_id as was_oid, w.synced as was,
                           (w.row_key is null or n.k is null or n.h operator(%4$s.<>) w.synced) as changed
                      from now_rows n full join was w on w.row_key = n.k
                ), published as (
                    insert into sync.outbox (txid, source_table, row_key, op, old_values, new_values, captured_at)
                    select k.txid, %1$s, d.k, d.op,
                           case d.op when 'D' then d.was operator(%4$s.||) %4$s.hstore(%2$s, coalesce(k.deleted_oid, d.was_oid))
                                     when 'U' then d.was operator(%4$s.-) d.h end,
                           case when d.op <> 'D' then d.h operator(%4$s.||) %4$s.hstore(%2$s, d.oid) end,
                           k.captured_at
                      from diff d join keys k on k.row_key = d.k
                     where d.changed
                     order by k.txid, d.k
                ), kept as (
                    insert into sync.captured_row (source_table, row_key, objekt_id, synced)
                    select %1$s, d.k, d.oid, d.h from diff d where d.op <> 'D' and (d.changed or d.oid is distinct from d.was_oid)
                    on conflict (source_table, row_key) do update set objekt_id = excluded.objekt_id, synced = excluded.synced
                ), gone as (
                    delete from sync.captured_row m using diff d where m.source_table = %1$s and m.row_key = d.k and d.op = 'D'
                )
                select count(*) into taken_keys from taken;
                return taken_keys;""".formatted(source, objektId, image(table, rows, hs + ".hstore").indent(4).strip(), hs);
        return """
                create or replace function sync.%1$s(max_keys integer) returns bigint
                    language plpgsql security definer
                %2$s
                as $pump$
                declare
                    taken_keys bigint;
                begin
                %3$s
                end
                $pump$;
                comment on function sync.%1$s(integer) is %4$s;
                """.formatted(SqlIdentifier.quote(pumpFunctionName()), TEXT_SETTINGS.indent(4).stripTrailing(), body.indent(4).stripTrailing(),
                SqlIdentifier.literal("geofa-sync pump of " + table.table() + ": moves its captured keys into sync.outbox as changes of the synced"
                        + " columns. Called by the relay. Made by geofa-sync install-triggers."));
    }

    /**
     * Sets {@code sync.captured_row} to the table's rows as they are now, under the install's lock:
     * what the outbox already says (or, for rows never sent, what GeoFA need not be told until they
     * change or are backfilled), so the pump's first comparison starts from the truth.
     */
    String seed() {
        String source = SqlIdentifier.literal(table.table().toString());
        return """
                set local datestyle = 'ISO, YMD';
                set local timezone = 'UTC';
                set local intervalstyle = 'postgres';
                set local extra_float_digits = 1;
                delete from sync.captured_row where source_table = %1$s;
                insert into sync.captured_row (source_table, row_key, objekt_id, synced)
                select %1$s, i.k, i.oid, i.h from (%2$s) i;
                """.formatted(source, image(table, table.table().quoted(), SqlIdentifier.quote(hstoreSchema) + ".hstore"));
    }

    /** Drops the triggers (when the table is still there) and the functions, as they were installed. */
    static String uninstall(java.util.Optional<String> quotedTable, List<String> functions) {
        StringBuilder sql = new StringBuilder();
        for (String trigger : List.of(INSERT_TRIGGER, UPDATE_TRIGGER, KEY_CHANGE_TRIGGER, DELETE_TRIGGER, TRUNCATE_TRIGGER)) {
            quotedTable.ifPresent(t -> sql.append("drop trigger if exists ").append(trigger).append(" on ").append(t).append(";\n"));
        }
        for (String f : functions) {
            sql.append("drop function if exists sync.").append(SqlIdentifier.quote(f)).append(";\n");
        }
        return sql.toString();
    }

    /**
     * key, objekt_id and an hstore of the synced columns (as text) of each row of {@code rows} (a
     * transition table, or any relation with the table's columns). The backfill uses it too, so a
     * backfilled row looks exactly like a captured insert.
     */
    public static String image(TableMapping table, String rows) {
        return image(table, rows, "hstore");
    }

    private static String image(TableMapping table, String rows, String hstoreFunction) {
        List<String> synced = table.syncedVkColumns();
        String names = synced.stream().map(SqlIdentifier::literal).collect(Collectors.joining(", "));
        String values = synced.stream().map(c -> "r." + SqlIdentifier.quote(c) + "::text").collect(Collectors.joining(", "));
        return "select r." + SqlIdentifier.quote(table.keyColumn()) + "::text as k, r." + SqlIdentifier.quote(table.objektIdColumn())
                + "::text as oid, " + hstoreFunction + "(array[" + names + "]::text[], array[" + values + "]::text[]) as h from " + rows + " r";
    }

    private String triggerFunction(String name, String body) {
        return """
                create or replace function sync.%1$s() returns trigger
                    language plpgsql security definer
                    set search_path = pg_catalog, pg_temp
                    set datestyle = 'ISO, YMD'
                as $capture$
                %7$s
                begin
                    if current_setting(%2$s, true) = %3$s then
                        return null;
                    end if;
                %4$s
                %6$s
                    return null;
                end
                $capture$;
                comment on function sync.%1$s() is %5$s;
                """.formatted(SqlIdentifier.quote(name), SqlIdentifier.literal(ORIGIN_SETTING), SqlIdentifier.literal(WRITE_BACK),
                body.indent(4).stripTrailing(), SqlIdentifier.literal("geofa-sync capture trigger of " + table.table()
                        + ": writes the keys of the rows a statement touched to sync.captured_key. Made by geofa-sync install-triggers."),
                notify ? """
                        get diagnostics captured = row_count;
                        if captured > 0 then
                            -- wakes the relay; PostgreSQL delivers it at commit, once per transaction
                            perform pg_notify(%s, '');
                        end if;""".formatted(SqlIdentifier.literal(dk.geofasync.db.SyncSchema.OUTBOX_CHANNEL)).stripTrailing()
                        : "",
                notify ? "declare\n    captured bigint;" : "");
    }

    /**
     * {@code cap_<length of schema>_<schema>_<table>_<op>}, or a hash of the table name where that is
     * too long for PostgreSQL. The length keeps {@code vk.x_y} and {@code vk_x.y} apart, which would
     * otherwise share functions and capture one table's changes as the other's.
     */
    private String functionName(String op) {
        String plain = "cap_" + table.table().schema().length() + "_" + table.table().schema() + "_" + table.table().name() + "_" + op;
        if (plain.getBytes(StandardCharsets.UTF_8).length <= 63) {
            return plain;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(table.table().toString().getBytes(StandardCharsets.UTF_8));
            return "cap_" + HexFormat.of().formatHex(hash, 0, 8) + "_" + op;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
