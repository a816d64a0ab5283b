package dk.geofasync.capture.install;

import static dk.geofasync.db.jooq.Tables.CAPTURED_TABLE;

import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.core.mapping.VkTable;
import dk.geofasync.db.jooq.tables.records.CapturedTableRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the capture triggers from the mapping ({@code geofa-sync install-triggers}) and removes
 * them ({@code uninstall-triggers}). Checks the mapping against VK first; installs, updates and
 * removes in one transaction, so a failed install leaves the tables as they were. Idempotent.
 */
public final class CaptureInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureInstaller.class);

    private final DataSource dataSource;

    public CaptureInstaller(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What an install did: tables whose triggers were installed or updated, and tables no longer mapped. */
    public record InstallReport(List<String> installed, List<String> removed) {
        public InstallReport {
            installed = List.copyOf(installed);
            removed = List.copyOf(removed);
        }
    }

    /**
     * @throws dk.geofasync.core.mapping.InvalidMappingException when VK lacks a table or column the mapping names
     */
    public InstallReport install(Mapping mapping) {
        return install(mapping, false);
    }

    /**
     * @param notify whether the triggers NOTIFY the relay at commit (lower latency, but it costs the
     *        staff's concurrent writes: see {@link CaptureTriggerSql})
     * @throws dk.geofasync.core.mapping.InvalidMappingException when VK lacks a table or column the mapping names
     */
    public InstallReport install(Mapping mapping, boolean notify) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // each statement's own snapshot: the seed must see what was committed before the table's lock was granted
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                requireSyncSchema(c);
                VkSchemaCheck.check(c, mapping);
                DSLContext dsl = DSL.using(c, org.jooq.SQLDialect.POSTGRES);
                String hstoreSchema = HstoreExtension.schema(c);
                Set<String> mapped = mapping.tables().stream().map(t -> t.table().toString()).collect(Collectors.toSet());
                List<String> removed = new ArrayList<>();
                for (CapturedTableRecord old : dsl.selectFrom(CAPTURED_TABLE).fetch()) {
                    if (!mapped.contains(old.getSourceTable())) {
                        remove(c, old);
                        dsl.deleteFrom(CAPTURED_TABLE).where(CAPTURED_TABLE.SOURCE_TABLE.eq(old.getSourceTable())).execute();
                        removed.add(old.getSourceTable());
                    }
                }
                List<String> installed = new ArrayList<>();
                for (TableMapping table : mapping.tables()) {
                    CaptureTriggerSql sql = new CaptureTriggerSql(table, hstoreSchema, notify, keyType(c, table));
                    // writers wait from here to the commit, and so does the relay's pump of this table: the old pump
                    // empties the table's keys, and the seed then reads rows no one changes until the new triggers capture them
                    execute(c, "lock table " + table.table().quoted() + " in share row exclusive mode");
                    lockPump(c, table.table().toString());
                    // functions of an earlier install may have other names (a renamed table): drop them first
                    Optional<CapturedTableRecord> earlier = dsl.selectFrom(CAPTURED_TABLE)
                            .where(CAPTURED_TABLE.SOURCE_TABLE.eq(table.table().toString())).fetchOptional();
                    earlier.ifPresent(old -> {
                        moveRemainingKeys(c, old, table);
                        drop(c, old);
                    });
                    execute(c, sql.install());
                    execute(c, sql.seed());
                    register(dsl, table, sql);
                    installed.add(table.table().toString());
                }
                c.commit();
                LOG.info("capture triggers installed on {}{}", installed, removed.isEmpty() ? "" : "; removed from " + removed);
                return new InstallReport(installed, removed);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot install the capture triggers: " + e.getMessage(), e);
        }
    }

    /** Removes the triggers of every captured table; returns the tables. */
    public List<String> uninstall() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            requireSyncSchema(c);
            DSLContext dsl = DSL.using(c, org.jooq.SQLDialect.POSTGRES);
            List<String> removed = new ArrayList<>();
            for (CapturedTableRecord old : dsl.selectFrom(CAPTURED_TABLE).fetch()) {
                remove(c, old);
                removed.add(old.getSourceTable());
            }
            dsl.deleteFrom(CAPTURED_TABLE).execute();
            c.commit();
            LOG.info("capture triggers removed from {}", removed);
            return removed;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remove the capture triggers: " + e.getMessage(), e);
        }
    }

    private static void register(DSLContext dsl, TableMapping table, CaptureTriggerSql sql) {
        List<String> functions = new ArrayList<>(sql.triggerFunctionNames());
        functions.add(sql.pumpFunctionName());
        CapturedTableRecord row = dsl.newRecord(CAPTURED_TABLE);
        row.setSourceTable(table.table().toString());
        row.setTheme(table.theme().name());
        row.setKeyColumn(table.keyColumn());
        row.setObjektIdColumn(table.objektIdColumn());
        row.setSyncedColumns(table.syncedVkColumns().toArray(String[]::new));
        row.setTriggerFunctions(functions.toArray(String[]::new));
        row.setPumpFunction(sql.pumpFunctionName());
        dsl.insertInto(CAPTURED_TABLE).set(row)
                .onConflict(CAPTURED_TABLE.SOURCE_TABLE).doUpdate().set(row).set(CAPTURED_TABLE.INSTALLED_AT, DSL.currentOffsetDateTime())
                .execute();
    }

    /**
     * Stops capturing a table: its remaining keys go into the outbox first (nothing committed is
     * lost), then its triggers, functions and row images go.
     */
    private static void remove(Connection c, CapturedTableRecord old) {
        try {
            lockPump(c, old.getSourceTable());
            if (exists(c, old)) {
                execute(c, "lock table " + table(old).quoted() + " in share row exclusive mode");
                try {
                    pumpRemainingKeys(c, old);
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(e.getMessage() + "; install-triggers with a mapping that matches the table moves them"
                            + " (as the rows' current state), and uninstall-triggers then goes through", e);
                }
            } else {
                long keys = keysWaiting(c, old.getSourceTable());
                if (keys > 0) {
                    // the table is gone (dropped or renamed): its rows cannot be read, and a DROP TABLE was never captured
                    LOG.warn("{} no longer exists: its {} captured keys are dropped with its capture; run geofa-sync reconcile "
                            + "to find what GeoFA still holds of it", old.getSourceTable(), keys);
                }
            }
            drop(c, old);
            try (PreparedStatement ps = c.prepareStatement("""
                    with k as (delete from sync.captured_key where source_table = ?)
                    delete from sync.captured_row where source_table = ?""")) {
                ps.setString(1, old.getSourceTable());
                ps.setString(2, old.getSourceTable());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remove the capture of " + old.getSourceTable() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Empties the table's keys before its capture is replaced: with its old pump, or, when that
     * pump fails (a synced column of the old mapping renamed or dropped in VK, which the key
     * triggers did not notice), as state events under the new mapping: an insert of each row that
     * exists (the applier sends a linked object only what differs) and a delete of each that is
     * gone, with its last known objekt_id. So a broken mapping can always be mended by installing a
     * corrected one, and nothing captured is lost.
     */
    private static void moveRemainingKeys(Connection c, CapturedTableRecord old, TableMapping table) {
        try {
            Savepoint before = c.setSavepoint();
            try {
                pumpRemainingKeys(c, old);
                c.releaseSavepoint(before);
                return;
            } catch (IllegalStateException e) {
                c.rollback(before);
                LOG.warn("the old pump of {} fails ({}); its {} captured keys go to the outbox as the rows' current state", old.getSourceTable(),
                        e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), keysWaiting(c, old.getSourceTable()));
            }
            String source = table.table().toString();
            List<String> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select distinct row_key from sync.captured_key where source_table = ?")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            Backfill.enqueueRows(c, table, keys);
            try (PreparedStatement gone = c.prepareStatement("""
                    insert into sync.outbox (source_table, row_key, op, old_values)
                    select k.source_table, k.row_key, 'D', coalesce(m.synced, ''::hstore) || hstore(?, coalesce(k.objekt_id, m.objekt_id))
                      from (select source_table, row_key, max(objekt_id) as objekt_id from sync.captured_key
                             where source_table = ? group by source_table, row_key) k
                      left join sync.captured_row m on m.source_table = k.source_table and m.row_key = k.row_key
                     where not exists (select 1 from %s r where r.%s::text = k.row_key)""".formatted(table.table().quoted(),
                    SqlIdentifier.quote(table.keyColumn())))) {
                gone.setString(1, table.objektIdColumn());
                gone.setString(2, source);
                gone.executeUpdate();
            }
            try (PreparedStatement done = c.prepareStatement("delete from sync.captured_key where source_table = ?")) {
                done.setString(1, source);
                done.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot move the captured keys of " + old.getSourceTable() + " into the outbox: " + e.getMessage(), e);
        }
    }

    /** Waits for, and then holds until the commit, the table's pump lock (the same the pumps take). */
    private static void lockPump(Connection c, String sourceTable) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtext('geofa-sync pump ' || ?))")) {
            ps.setString(1, sourceTable);
            ps.execute();
        }
    }

    private static long keysWaiting(Connection c, String sourceTable) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from sync.captured_key where source_table = ?")) {
            ps.setString(1, sourceTable);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The key column's type as the pump must name it: qualified by its schema unless it is one of
     * pg_catalog's, as the pump finds nothing else on its search path.
     */
    private static String keyType(Connection c, TableMapping table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select format_type(a.atttypid, a.atttypmod), n.nspname, t.typname
                  from pg_attribute a join pg_type t on t.oid = a.atttypid join pg_namespace n on n.oid = t.typnamespace
                 where a.attrelid = to_regclass(?) and a.attname = ? and not a.attisdropped""")) {
            ps.setString(1, table.table().quoted());
            ps.setString(2, table.keyColumn());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("VK table " + table.table() + " has no column " + table.keyColumn());
                }
                return rs.getString(2).equals("pg_catalog") ? rs.getString(1) : SqlIdentifier.quote(rs.getString(2)) + "." + SqlIdentifier.quote(rs.getString(3));
            }
        }
    }

    /**
     * Runs the table's pump until no key is left, with the mapping it was installed with. Triggers
     * of before version 12 have no pump: what they captured is in the outbox already, and stays.
     */
    private static void pumpRemainingKeys(Connection c, CapturedTableRecord old) {
        if (old.getPumpFunction() == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select sync." + SqlIdentifier.quote(old.getPumpFunction()) + "(10000)")) {
            long taken;
            do {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    taken = rs.getLong(1);
                }
            } while (taken > 0);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot move the captured keys of " + old.getSourceTable() + " into the outbox: " + e.getMessage(), e);
        }
    }

    private static VkTable table(CapturedTableRecord old) {
        return VkTable.parse(old.getSourceTable())
                .orElseThrow(() -> new IllegalStateException("sync.captured_table holds an invalid table name: " + old.getSourceTable()));
    }

    private static boolean exists(Connection c, CapturedTableRecord old) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("select to_regclass(?) is not null")) {
            exists.setString(1, table(old).quoted());
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Drops a table's triggers (when the table still exists) and its functions. */
    private static void drop(Connection c, CapturedTableRecord old) {
        VkTable table = table(old);
        try {
            execute(c, CaptureTriggerSql.uninstall(exists(c, old) ? Optional.of(table.quoted()) : Optional.empty(), List.of(old.getTriggerFunctions())));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remove the capture triggers of " + table + ": " + e.getMessage(), e);
        }
    }

    private static void requireSyncSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select to_regclass('sync.captured_key') is not null")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new IllegalStateException("the VK database has no sync schema of this version: run geofa-sync migrate first");
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
