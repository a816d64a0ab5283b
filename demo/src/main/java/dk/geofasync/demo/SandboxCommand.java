package dk.geofasync.demo;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.cli.DatabaseOptions;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.MappingLoader;
import dk.geofasync.db.DataSources;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofaDatabase;
import dk.geofasync.sandbox.geofa.GeofaUser;
import dk.geofasync.sandbox.vk.SampleLoad;
import dk.geofasync.sandbox.vk.SampleVk;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geofa-sync sandbox reset}: both sides of the sandbox back to a known state. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "The local sandbox: sample VK data and a fake GeoFA in one PostGIS database.",
        subcommands = SandboxCommand.Reset.class)
public final class SandboxCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code geofa-sync sandbox reset}. */
    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Put both sides back to a known state: the sample VK tables (schema vk) made anew from the seed,",
                "the fake GeoFA (schema fkg) holding exactly the sample objects that already have an objekt_id,",
                "and no sync state (schema sync dropped; geofa-sync migrate makes it anew).",
                "Without --db-url it uses database geofa_sandbox on the local PostGIS, creating it when absent."})
    static final class Reset implements Callable<Integer> {

        @Option(names = "--objects", defaultValue = "" + Sandbox.DEFAULT_OBJECTS,
                description = "objects per table (default: ${DEFAULT-VALUE})")
        int objects;

        @Option(names = "--seed", defaultValue = "" + Sandbox.DEFAULT_SEED, description = "the generator's seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--mapping", paramLabel = "FILE", description = "mapping to build the VK tables from (default: the shipped Vejle mapping)")
        Path mappingFile;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (objects < 1) {
                throw new IllegalArgumentException("--objects must be at least 1, got " + objects);
            }
            Mapping mapping = mappingFile == null ? SampleVk.vejleMapping() : MappingLoader.standard().load(mappingFile);
            DatabaseConfig config = SandboxDatabase.of(database);
            try (HikariDataSource dataSource = DataSources.pooled(config.withMaxPoolSize(2), "sandbox")) {
                FakeGeofaDatabase geofa = new FakeGeofaDatabase(dataSource, FkgCatalogue.standard(), List.of(GeofaUser.vejle()));
                SampleLoad load = Sandbox.reset(dataSource, geofa, mapping, objects, seed);
                PrintWriter out = spec.commandLine().getOut();
                out.printf("sandbox reset in %.1f s: %s%n", load.took().toMillis() / 1000.0, config.jdbcUrl());
                load.rowsPerTable().forEach((table, rows) -> out.printf("  VK %-24s %,d objects%n", table, rows));
                load.alreadyInGeofa().forEach((theme, seeds) -> out.printf("  GeoFA %-20s %,d objects (already linked from VK)%n",
                        theme, seeds.size()));
                return GeofaSync.OK;
            }
        }
    }
}
