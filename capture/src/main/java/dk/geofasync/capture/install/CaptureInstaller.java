package dk.geofasync.capture.install;

import static dk.geofasync.db.jooq.Tables.CAPTURED_TABLE;

import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.core.mapping.VkTable;
import dk.geofasync.db.jooq.tables.records.CapturedTableRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
            try {
                requireSyncSchema(c);
                VkSchemaCheck.check(c, mapping);
                DSLContext dsl = DSL.using(c, org.jooq.SQLDialect.POSTGRES);
                String hstoreSchema = HstoreExtension.schema(c);
                Set<String> mapped = mapping.tables().stream().map(t -> t.table().toString()).collect(Collectors.toSet());
                List<String> removed = new ArrayList<>();
                for (CapturedTableRecord old : dsl.selectFrom(CAPTURED_TABLE).fetch()) {
                    if (!mapped.contains(old.getSourceTable())) {
                        drop(c, old);
                        dsl.deleteFrom(CAPTURED_TABLE).where(CAPTURED_TABLE.SOURCE_TABLE.eq(old.getSourceTable())).execute();
                        removed.add(old.getSourceTable());
                    }
                }
                List<String> installed = new ArrayList<>();
                for (TableMapping table : mapping.tables()) {
                    CaptureTriggerSql sql = new CaptureTriggerSql(table, hstoreSchema, notify);
                    // functions of an earlier install may have other names (a renamed table): drop them first
                    dsl.selectFrom(CAPTURED_TABLE).where(CAPTURED_TABLE.SOURCE_TABLE.eq(table.table().toString()))
                            .fetchOptional().ifPresent(old -> drop(c, old));
                    execute(c, sql.install());
                    register(dsl, table, sql.functionNames());
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
                drop(c, old);
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

    private static void register(DSLContext dsl, TableMapping table, List<String> functions) {
        CapturedTableRecord row = dsl.newRecord(CAPTURED_TABLE);
        row.setSourceTable(table.table().toString());
        row.setTheme(table.theme().name());
        row.setKeyColumn(table.keyColumn());
        row.setObjektIdColumn(table.objektIdColumn());
        row.setSyncedColumns(table.syncedVkColumns().toArray(String[]::new));
        row.setTriggerFunctions(functions.toArray(String[]::new));
        dsl.insertInto(CAPTURED_TABLE).set(row)
                .onConflict(CAPTURED_TABLE.SOURCE_TABLE).doUpdate().set(row).set(CAPTURED_TABLE.INSTALLED_AT, DSL.currentOffsetDateTime())
                .execute();
    }

    /** Drops a table's triggers (when the table still exists) and its trigger functions. */
    private static void drop(Connection c, CapturedTableRecord old) {
        VkTable table = VkTable.parse(old.getSourceTable())
                .orElseThrow(() -> new IllegalStateException("sync.captured_table holds an invalid table name: " + old.getSourceTable()));
        try (PreparedStatement exists = c.prepareStatement("select to_regclass(?) is not null")) {
            exists.setString(1, table.quoted());
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                execute(c, CaptureTriggerSql.uninstall(rs.getBoolean(1) ? Optional.of(table.quoted()) : Optional.empty(),
                        List.of(old.getTriggerFunctions())));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remove the capture triggers of " + table + ": " + e.getMessage(), e);
        }
    }

    private static void requireSyncSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select to_regclass('sync.captured_table') is not null")) {
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
