package dk.geofasync.app.initmapping;

import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.mapping.VkTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a VK table's columns, in their order, from information_schema (the names travel as parameters). */
public final class VkColumns {

    private VkColumns() {
    }

    /** @return the columns, empty when the database has no such table (or the user may see none of it) */
    public static List<VkColumn> read(Connection c, VkTable table) throws SQLException {
        List<String> primaryKey = primaryKey(c, table);
        List<VkColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select column_name, udt_name from information_schema.columns
                 where table_schema = ? and table_name = ? order by ordinal_position""")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    columns.add(new VkColumn(name, rs.getString(2), FkgType.fromUdtName(rs.getString(2)),
                            primaryKey.size() == 1 && primaryKey.get(0).equals(name)));
                }
            }
        }
        return columns;
    }

    private static List<String> primaryKey(Connection c, VkTable table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select k.column_name from information_schema.table_constraints t
                  join information_schema.key_column_usage k
                    on k.constraint_schema = t.constraint_schema and k.constraint_name = t.constraint_name
                       and k.table_schema = t.table_schema and k.table_name = t.table_name
                 where t.constraint_type = 'PRIMARY KEY' and t.table_schema = ? and t.table_name = ?
                 order by k.ordinal_position""")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }
}
