package dk.geofasync.app.cli;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.app.catalogue.CatalogueDiff;
import dk.geofasync.app.catalogue.FkgModelReader;
import dk.geofasync.app.catalogue.GeofaCatalogueReader;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.fkg.CatalogueSource;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.db.DataSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geofa-sync catalogue}: generates the catalogue of GeoFA's data model (themes, columns, rules,
 * code lists) from a database holding the FKG model, so geofa-sync's picture of GeoFA is read from the
 * model, never written by hand; or reads it from a live GeoFA through its API, to check the shipped
 * catalogue against production.
 */
@Command(name = "catalogue", mixinStandardHelpOptions = true,
        description = {"Generate the catalogue of GeoFA's data model (every theme, column, CHECK and code list) from a PostgreSQL",
            "database holding the FKG model (an install of OpenFKG/fkg-postgresql, or a copy of GeoFA's database).",
            "With --from-geofa it reads a live GeoFA through its API instead and shows what differs from the shipped",
            "catalogue (exit code 1 when something does); --out then writes what GeoFA holds.",
            "Without --from-db or --from-geofa it shows what the shipped catalogue holds."})
public final class CatalogueCommand implements Callable<Integer> {

    @Option(names = "--from-db", paramLabel = "JDBC_URL",
            description = "database holding the FKG model (schema fkg), e.g. jdbc:postgresql://localhost:5432/fkg")
    String url;

    @Option(names = "--from-db-user", defaultValue = "${env:GEOFA_SYNC_FROM_DB_USER:-postgres}", paramLabel = "USER",
            description = "its user (env GEOFA_SYNC_FROM_DB_USER; default ${DEFAULT-VALUE}); the password from "
                    + "--from-db-password-file or env GEOFA_SYNC_FROM_DB_PASSWORD")
    String user;

    @Option(names = "--from-db-password-file", defaultValue = "${env:GEOFA_SYNC_FROM_DB_PASSWORD_FILE}", paramLabel = "FILE")
    Path passwordFile;

    @Option(names = "--model", defaultValue = "OpenFKG/fkg-postgresql", paramLabel = "NAME",
            description = "which model the database holds, written into the catalogue (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--revision", defaultValue = "unknown", paramLabel = "TEXT",
            description = "the model's revision (a git commit, a GeoFA version), written into the catalogue")
    String revision;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write the catalogue (JSON)")
    Path out;

    @Option(names = "--from-geofa", description = "read the model from GeoFA (--geofa-url, --geofa-user, password from env or file) "
            + "through GC2's meta and v4 SQL APIs; a handful of requests (see the output)")
    boolean fromGeofa;

    @Mixin
    GeofaOptions geofa;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter print = spec.commandLine().getOut();
        if (fromGeofa) {
            if (url != null) {
                throw new IllegalArgumentException("give --from-db or --from-geofa, not both");
            }
            return fromGeofa(print);
        }
        if (url == null) {
            summary(print, FkgCatalogue.standard(), "shipped catalogue");
            return GeofaSync.OK;
        }
        if (out == null) {
            throw new IllegalArgumentException("give --out FILE for the generated catalogue");
        }
        Secret password = Secret.fromFileOrEnvironment(passwordFile, "GEOFA_SYNC_FROM_DB_PASSWORD");
        FkgCatalogue catalogue;
        try (var pool = DataSources.pooled(DatabaseConfig.of(url, user, password).withMaxPoolSize(1), "geofa-sync catalogue");
             Connection c = pool.getConnection()) {
            String readFrom = c.getMetaData().getURL().replaceAll("\\?.*", "");
            catalogue = new FkgModelReader(c).read(new CatalogueSource(model, revision, readFrom,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), GeofaSync.version()));
        }
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            catalogue.write(w);
        }
        summary(print, catalogue, out.toString());
        return GeofaSync.OK;
    }

    /** A refresh from GeoFA: what it cost, what it kept from the shipped catalogue, and what differs from it. */
    private int fromGeofa(PrintWriter print) throws IOException {
        FkgCatalogue shipped = FkgCatalogue.standard();
        // the same budget as the applier's (--geofa-requests-per-minute of the GeoFA options)
        GeofaSettings settings = geofa.settings();
        GeofaCatalogueReader.Refresh refresh = new GeofaCatalogueReader(settings, shipped).read(GeofaSync.version());
        FkgCatalogue read = refresh.catalogue();
        if (out != null) {
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                read.write(w);
            }
        }
        print.printf("read GeoFA at %s (model version: %s) in %d requests: %d login, %d meta, %d SQL (at most %s a minute)%n",
                read.source().readFrom(), read.source().revision(), refresh.requests(), refresh.logins(), refresh.metaRequests(),
                refresh.sqlRequests(), settings.requestsPerMinute() == 0 ? "any number" : Integer.toString(settings.requestsPerMinute()));
        print.println("kept from the shipped catalogue, as GeoFA's API does not give them:");
        GeofaCatalogueReader.keptFromShipped().forEach(k -> print.println("  " + k));
        refresh.notes().forEach(n -> print.println("note: " + n));
        CatalogueDiff diff = CatalogueDiff.between(shipped, read);
        String against = shipped.source().model() + " at " + shipped.source().revision();
        if (diff.isEmpty()) {
            print.println("GeoFA holds what the shipped catalogue holds (" + against + ")");
        } else {
            print.println(diff.lines().size() + " differences from the shipped catalogue (" + against + "):");
            diff.lines().forEach(l -> print.println("  " + l));
        }
        if (out != null) {
            summary(print, read, out.toString());
        }
        return diff.isEmpty() ? GeofaSync.OK : GeofaSync.PROBLEMS;
    }

    private static void summary(PrintWriter print, FkgCatalogue catalogue, String what) {
        long columns = catalogue.themes().stream().mapToLong(t -> t.columns().size()).sum();
        long checks = catalogue.themes().stream().flatMap(t -> t.columns().stream()).mapToLong(c -> c.checks().size()).sum();
        long derived = catalogue.themes().stream().flatMap(t -> t.columns().stream()).filter(c -> !c.writable()).count();
        print.printf("%s: %s at %s (read from %s, %s)%n", what, catalogue.source().model(), catalogue.source().revision(),
                catalogue.source().readFrom(), catalogue.source().generatedAt());
        print.printf("  %d themes, %d columns (%d read-only), %d CHECK constraints, %d code lists with %d codes%n",
                catalogue.themes().size(), columns, derived, checks, catalogue.codeLists().size(),
                catalogue.codeLists().stream().mapToLong(l -> l.codes().size()).sum());
        for (FkgTheme t : catalogue.themes()) {
            print.printf("  %-28s %-16s %3d columns, %2d writable  %s%n", t.name(), t.geometryType().geoJsonName(), t.columns().size(),
                    t.columns().stream().filter(FkgColumn::writable).count(), t.title());
        }
    }
}
