package dk.geofasync.demo;

import dk.geofasync.app.cli.DatabaseOptions;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.postgres.PostgisServer;

/** Which database the sandbox commands work in: the configured one, else {@code geofa_sandbox} on the local PostGIS. */
final class SandboxDatabase {

    private SandboxDatabase() {
    }

    static DatabaseConfig of(DatabaseOptions options) {
        return options.configIfGiven().orElseGet(() -> PostgisServer.shared().ensureDatabase(Sandbox.DATABASE));
    }
}
