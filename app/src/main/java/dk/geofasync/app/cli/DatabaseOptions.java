package dk.geofasync.app.cli;

import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.config.Secret;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the VK database is. The password has no command-line option on purpose (command lines
 * are visible to every user of the machine): it comes from GEOFA_SYNC_DB_PASSWORD or a file.
 */
public final class DatabaseOptions {

    @Option(names = "--db-url", defaultValue = "${env:GEOFA_SYNC_DB_URL}", paramLabel = "JDBC_URL",
            description = "VK database, e.g. jdbc:postgresql://localhost:5432/vk (env GEOFA_SYNC_DB_URL)")
    String url;

    @Option(names = "--db-user", defaultValue = "${env:GEOFA_SYNC_DB_USER}", paramLabel = "USER",
            description = "database user (env GEOFA_SYNC_DB_USER)")
    String user;

    @Option(names = "--db-password-file", defaultValue = "${env:GEOFA_SYNC_DB_PASSWORD_FILE}", paramLabel = "FILE",
            description = "file holding the password (env GEOFA_SYNC_DB_PASSWORD_FILE); else env GEOFA_SYNC_DB_PASSWORD")
    Path passwordFile;

    /** A small connection pool on the VK database, named for what uses it (it shows in pg_stat_activity). */
    public com.zaxxer.hikari.HikariDataSource open(String purpose, int connections) {
        return dk.geofasync.db.DataSources.pooled(config().withMaxPoolSize(connections), purpose);
    }

    /** The settings as a config, or an error naming the missing setting. */
    public DatabaseConfig config() {
        return configIfGiven().orElseThrow(
                () -> new IllegalArgumentException("the VK database is not set: give --db-url or set GEOFA_SYNC_DB_URL"));
    }

    /** The configured database, or empty when no URL is set (the sandbox commands then use their own). */
    public java.util.Optional<DatabaseConfig> configIfGiven() {
        if (url == null || url.isBlank()) {
            return java.util.Optional.empty();
        }
        if (url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            throw new IllegalArgumentException("the database URL must not hold the password (it would show in logs); "
                    + "set GEOFA_SYNC_DB_PASSWORD or --db-password-file instead");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("the database user is not set: give --db-user or set GEOFA_SYNC_DB_USER");
        }
        Secret password = Secret.fromFileOrEnvironment(passwordFile, "GEOFA_SYNC_DB_PASSWORD");
        return java.util.Optional.of(DatabaseConfig.of(url, user, password));
    }
}
