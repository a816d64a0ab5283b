package dk.geofasync.sandbox.junit;

import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.sandbox.postgres.PostgisServer;
import dk.geofasync.sandbox.postgres.ScratchDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh PostgreSQL database with PostGIS for one test class, dropped after it:
 * {@code @RegisterExtension static final PostgisDatabase db = new PostgisDatabase();}
 */
public final class PostgisDatabase implements BeforeAllCallback, AfterAllCallback {

    private ScratchDatabase database;

    @Override
    public void beforeAll(ExtensionContext context) {
        database = PostgisServer.shared().createDatabase(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    public ScratchDatabase database() {
        if (database == null) {
            throw new IllegalStateException("the database exists only from @BeforeAll on; register PostgisDatabase as a static field");
        }
        return database;
    }

    public DataSource dataSource() {
        return database().dataSource();
    }

    public DatabaseConfig config() {
        return database().config();
    }

    public Connection connect() throws SQLException {
        return database().connect();
    }

    public void execute(String sql) {
        database().execute(sql);
    }
}
