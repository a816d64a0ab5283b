package dk.geofasync.sandbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Keeps the sandbox out of databases it did not make: its commands drop schemas {@code sync} and
 * {@code fkg} and the sample VK tables, so they work only in a database that is empty (nothing but
 * extensions' own objects, such as PostGIS's {@code spatial_ref_sys}) or that the sandbox marked as
 * its own when it first found it empty, or the database the sandbox commands create for themselves
 * ({@code geofa_sandbox}, which earlier versions did not mark). A production VK, configured by
 * mistake, is refused by name.
 */
public final class SandboxMark {

    /** The marker: a table of its own, so it outlives the schemas the sandbox drops and makes anew. */
    static final String MARKER = "public.geofa_sync_sandbox";

    private static final String FOREIGN_OBJECTS = """
            select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'
               and n.nspname not like 'pg\\_temp%' and c.relkind in ('r', 'v', 'm', 'p', 'f', 'S')
               and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
            """;

    private SandboxMark() {
    }

    /**
     * Makes sure the database is the sandbox's: marked before, or empty and marked now.
     *
     * @throws IllegalStateException naming the database when it holds data the sandbox did not make
     */
    public static void claim(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (marked(s)) {
                return;
            }
            String database;
            try (ResultSet rs = s.executeQuery("select current_database()")) {
                rs.next();
                database = rs.getString(1);
            }
            if (database.equals(Sandbox.DATABASE)) {
                mark(s);
                return;
            }
            try (ResultSet rs = s.executeQuery(FOREIGN_OBJECTS)) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new IllegalStateException("database " + database + " is not a geofa-sync sandbox and not empty (" + rs.getLong(1)
                            + " tables, views or sequences): the sandbox commands drop schemas sync and fkg and sample tables, so they refuse "
                            + "to work there. Use an empty database, or leave --db-url / GEOFA_SYNC_DB_URL unset for the local geofa_sandbox");
                }
            }
            mark(s);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check whether the database is a geofa-sync sandbox: " + e.getMessage(), e);
        }
    }

    private static void mark(Statement s) throws SQLException {
        s.execute("create table if not exists " + MARKER + " (marked_at timestamptz not null default now())");
        s.execute("comment on table " + MARKER + " is 'This database is a geofa-sync sandbox: sample data and a fake GeoFA that "
                + "geofa-sync demo and sandbox reset may drop and make anew.'");
    }

    private static boolean marked(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("select to_regclass('" + MARKER + "') is not null")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
