package dk.geofasync.db;

import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sync} schema in the VK database: brings it to the current version with Flyway and
 * gives jOOQ access to it. The migrations live in {@code db/migration} of this module.
 */
public final class SyncSchema {

    /** The schema geofa-sync owns in the VK database. */
    public static final String NAME = "sync";

    /** The channel the capture triggers NOTIFY when they wrote outbox rows; the relay LISTENs on it. */
    public static final String OUTBOX_CHANNEL = "geofa_sync_outbox";

    private static final Logger LOG = LoggerFactory.getLogger(SyncSchema.class);

    private SyncSchema() {
    }

    /** Migrates the schema to the newest version; safe to run again and from several processes. */
    public static MigrationOutcome migrate(DataSource dataSource) {
        MigrateResult result = flyway(dataSource).migrate();
        MigrationOutcome outcome = new MigrationOutcome(
                result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
                result.targetSchemaVersion == null ? String.valueOf(result.initialSchemaVersion) : result.targetSchemaVersion,
                result.migrations.stream().map(m -> m.version + " " + m.description).toList());
        LOG.info("sync schema: {}", outcome);
        return outcome;
    }

    /** jOOQ over the VK database, rendering PostgreSQL with every identifier quoted. */
    public static DSLContext dsl(DataSource dataSource) {
        return DSL.using(dataSource, SQLDialect.POSTGRES, settings());
    }

    /** The same, on one connection, in whatever transaction it has open. */
    public static DSLContext dsl(java.sql.Connection connection) {
        return DSL.using(connection, SQLDialect.POSTGRES, settings());
    }

    private static Settings settings() {
        return new Settings().withRenderQuotedNames(RenderQuotedNames.ALWAYS);
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(NAME)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load();
    }

    /** What a migration did: the version before and after, and the migrations applied. */
    public record MigrationOutcome(String fromVersion, String toVersion, List<String> applied) {
        public MigrationOutcome {
            applied = List.copyOf(applied);
        }

        @Override
        public String toString() {
            return applied.isEmpty()
                    ? "already at version " + toVersion
                    : "migrated from " + fromVersion + " to " + toVersion + " (" + String.join(", ", applied) + ")";
        }
    }
}
