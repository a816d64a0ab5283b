package dk.geofasync.sandbox.postgres;

import dk.geofasync.core.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A database with PostGIS made for one test class or one demo, dropped again on {@link #close()}. */
public final class ScratchDatabase implements AutoCloseable {

    private final PostgisServer server;
    private final String name;

    ScratchDatabase(PostgisServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return server.urlOf(name);
    }

    public DatabaseConfig config() {
        return DatabaseConfig.of(jdbcUrl(), server.user(), server.password()).withMaxPoolSize(4);
    }

    /** Unpooled connections to this database (tests that want a pool build one from {@link #config()}). */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl());
        ds.setUser(server.user());
        ds.setPassword(server.password().reveal());
        ds.setApplicationName("geofa-sync sandbox");
        return ds;
    }

    /** A new connection outside the pool (for tests that hold transactions open or kill sessions). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), server.user(), server.password().reveal());
    }

    /** Runs SQL statements (no parameters: for setup in tests and the sandbox). */
    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("on database " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (Connection c = server.admin(); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name + ": " + e.getMessage(), e);
        }
    }
}
