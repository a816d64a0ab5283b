package dk.geofasync.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.db.SyncSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code geofa-sync migrate}: creates or upgrades the sync schema in the VK database. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Create or upgrade the sync schema (outbox, inbox, runs, change log, dead letters) in the VK database.")
public final class MigrateCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (HikariDataSource dataSource = database.open("migrate", 2)) {
            SyncSchema.MigrationOutcome outcome = SyncSchema.migrate(dataSource);
            spec.commandLine().getOut().println("sync schema " + outcome);
            return GeofaSync.OK;
        }
    }
}
