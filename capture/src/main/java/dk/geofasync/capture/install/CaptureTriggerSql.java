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
 * The SQL of the capture triggers of one VK table. The triggers are statement-level with
 * transition tables: one set-based INSERT into the outbox per statement, so a DBA's bulk UPDATE
 * costs one query, not one per row. The trigger's own work is kept minimal: values become text in
 * an hstore (built in C), the diff is hstore's {@code -}; JSON and GeoJSON are the relay's job.
 *
 * <p>The functions are SECURITY DEFINER with a fixed search_path, so staff who edit VK need no
 * rights on schema sync, and the functions cannot be tricked by a session's search_path. DateStyle
 * is fixed to ISO so dates reach the outbox the same way whatever the session set.
 */
public final class CaptureTriggerSql {

    /** The session marker of geofa-sync's own write-back; its changes are not captured (no echo). */
    static final String ORIGIN_SETTING = "geofa_sync.origin";
    static final String WRITE_BACK = "write-back";

    static final String INSERT_TRIGGER = "geofa_sync_capture_insert";
    static final String UPDATE_TRIGGER = "geofa_sync_capture_update";
    static final String DELETE_TRIGGER = "geofa_sync_capture_delete";
    static final String TRUNCATE_TRIGGER = "geofa_sync_refuse_truncate";

    private final TableMapping table;
    private final String hstoreSchema;
    private final boolean notify;

    /**
     * @param notify whether the triggers NOTIFY the relay at commit. Off by default: NOTIFY serialises
     *        notifying commits on a global lock, measured to cost a third of the staff's single-row
     *        write throughput; the relay's 100 ms poll gives sub-second latency without it
     */
    public CaptureTriggerSql(TableMapping table, String hstoreSchema, boolean notify) {
        this.table = table;
        this.hstoreSchema = hstoreSchema;
        this.notify = notify;
    }

    /** The trigger functions' names (in schema sync), one per operation. */
    List<String> functionNames() {
        return List.of(functionName("i"), functionName("u"), functionName("d"));
    }

    /** Creates or replaces the functions and triggers; safe to run again after the mapping changed. */
    String install() {
        String source = SqlIdentifier.literal(table.table().toString());
        String insert = function(functionName("i"), """
                insert into sync.outbox (source_table, row_key, op, new_values)
                select %s, n.k, 'I', n.h || hstore(%s, n.oid)
                  from (%s) n;""".formatted(source, SqlIdentifier.literal(table.objektIdColumn()), image("new_rows")));
        // a full join pairs old and new rows by key; a key that changed becomes a delete and an insert
        String update = function(functionName("u"), """
                insert into sync.outbox (source_table, row_key, op, old_values, new_values)
                select %1$s,
                       coalesce(n.k, o.k),
                       case when o.k is null then 'I' when n.k is null then 'D' else 'U' end,
                       case when n.k is null then o.h || hstore(%2$s, o.oid) when o.k is not null then o.h - n.h end,
                       case when n.k is not null then n.h || hstore(%2$s, n.oid) end
                  from (%3$s) n
                  full join (%4$s) o on o.k = n.k
                 where o.k is null or n.k is null or o.h <> n.h;""".formatted(source, SqlIdentifier.literal(table.objektIdColumn()),
                image("new_rows"), image("old_rows")));
        String delete = function(functionName("d"), """
                insert into sync.outbox (source_table, row_key, op, old_values)
                select %s, o.k, 'D', o.h || hstore(%s, o.oid)
                  from (%s) o;""".formatted(source, SqlIdentifier.literal(table.objektIdColumn()), image("old_rows")));
        String t = table.table().quoted();
        return insert + update + delete + """
                create or replace trigger %5$s after insert on %1$s referencing new table as new_rows
                    for each statement execute function sync.%2$s();
                create or replace trigger %6$s after update on %1$s referencing old table as old_rows new table as new_rows
                    for each statement execute function sync.%3$s();
                create or replace trigger %7$s after delete on %1$s referencing old table as old_rows
                    for each statement execute function sync.%4$s();
                create or replace trigger %8$s before truncate on %1$s
                    for each statement execute function sync.refuse_truncate();
                """.formatted(t, SqlIdentifier.quote(functionName("i")), SqlIdentifier.quote(functionName("u")),
                SqlIdentifier.quote(functionName("d")), INSERT_TRIGGER, UPDATE_TRIGGER, DELETE_TRIGGER, TRUNCATE_TRIGGER);
    }

    /** Drops the triggers (when the table is still there) and the functions, as they were installed. */
    static String uninstall(java.util.Optional<String> quotedTable, List<String> functions) {
        StringBuilder sql = new StringBuilder();
        for (String trigger : List.of(INSERT_TRIGGER, UPDATE_TRIGGER, DELETE_TRIGGER, TRUNCATE_TRIGGER)) {
            quotedTable.ifPresent(t -> sql.append("drop trigger if exists ").append(trigger).append(" on ").append(t).append(";\n"));
        }
        for (String f : functions) {
            sql.append("drop function if exists sync.").append(SqlIdentifier.quote(f)).append("();\n");
        }
        return sql.toString();
    }

    /**
     * key, objekt_id and an hstore of the synced columns (as text) of each row of {@code rows} (a
     * transition table, or any relation with the table's columns). The backfill uses it too, so a
     * backfilled row looks exactly like a captured insert.
     */
    public String image(String rows) {
        List<String> synced = table.syncedVkColumns();
        String names = synced.stream().map(SqlIdentifier::literal).collect(Collectors.joining(", "));
        String values = synced.stream().map(c -> "r." + SqlIdentifier.quote(c) + "::text").collect(Collectors.joining(", "));
        return "select r." + SqlIdentifier.quote(table.keyColumn()) + "::text as k, r." + SqlIdentifier.quote(table.objektIdColumn())
                + "::text as oid, hstore(array[" + names + "]::text[], array[" + values + "]::text[]) as h from " + rows + " r";
    }

    private String function(String name, String body) {
        return """
                create or replace function sync.%1$s() returns trigger
                    language plpgsql security definer
                    set search_path = pg_catalog, %2$s
                    set datestyle = 'ISO, YMD'
                as $capture$
                %8$s
                begin
                    if current_setting(%3$s, true) = %4$s then
                        return null;
                    end if;
                %5$s
                %7$s
                    return null;
                end
                $capture$;
                comment on function sync.%1$s() is %6$s;
                """.formatted(SqlIdentifier.quote(name), SqlIdentifier.quote(hstoreSchema), SqlIdentifier.literal(ORIGIN_SETTING), SqlIdentifier.literal(WRITE_BACK),
                body.indent(4).stripTrailing(), SqlIdentifier.literal("geofa-sync capture trigger of " + table.table()
                        + ": writes changes of the synced columns to sync.outbox. Made by geofa-sync install-triggers."),
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
