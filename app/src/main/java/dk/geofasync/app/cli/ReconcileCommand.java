package dk.geofasync.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.reconcile.Reconcile;
import dk.geofasync.app.reconcile.ReconcileTrigger;
import dk.geofasync.app.reconcile.ReportJson;
import dk.geofasync.app.reconcile.ReportText;
import dk.geofasync.applier.geofa.GeofaClient;
import dk.geofasync.core.mapping.Mapping;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geofa-sync reconcile}: finds every difference between VK and GeoFA, and with --repair queues what mends it. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Compare every mapped VK table with GeoFA's current objects and list the differences: changed in GeoFA behind the",
            "sync, stale, missing, not written back, deleted in VK, orphans, linked twice, not visible. Compares fingerprints of key",
            "buckets computed by GeoFA's own database, and reads single objects only where they differ: a few requests a table.",
            "--repair queues the repairs in sync.outbox (VK wins; the pipeline applies them: the service, or geofa-sync once);",
            "orphans and double links are listed for a person to decide. Each run is recorded in sync.reconcile_run.",
            "--link first adopts objects already in GeoFA (loaded by hand or FME) for rows without objekt_id, by the mapping's match rule:",
            "run it before the first backfill of a table whose objects GeoFA already holds, or they are created twice.",
            "Exit code 0: no differences; 1: differences found (listed, and queued with --repair); 2: could not run."})
public final class ReconcileCommand implements Callable<Integer> {

    @Option(names = "--table", paramLabel = "SCHEMA.TABLE", description = "only this table of the mapping")
    String table;
    @Option(names = "--repair", description = "queue the repairs in VK's outbox")
    boolean repair;
    @Option(names = "--delete-orphans", description = "with --repair: delete in GeoFA the objects carrying this VK's noegle that no VK row knows")
    boolean deleteOrphans;
    @Option(names = "--link", description = "first adopt objects already in GeoFA for VK rows without objekt_id, by the mapping's match rule "
            + "(writes the objekt_id into VK and the noegle into GeoFA; ambiguous fits are listed, never guessed)")
    boolean link;
    @Option(names = "--json", description = "print JSON for scripts")
    boolean json;
    @Mixin
    MappingOption mapping;
    @Mixin
    DatabaseOptions database;
    @Mixin
    GeofaOptions geofa;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (deleteOrphans && !repair) {
            throw new IllegalArgumentException("--delete-orphans deletes only with --repair");
        }
        Mapping loaded = mapping.load();
        GeofaClient client = new GeofaClient(geofa.settings(), Clock.systemUTC());
        try (HikariDataSource vk = database.open("reconcile", 2)) {
            Reconcile.Report report = new Reconcile(vk, loaded, client)
                    .run(new Reconcile.Options(Optional.ofNullable(table), repair, deleteOrphans, link, ReconcileTrigger.COMMAND));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ReportJson.print(report, out);
            } else {
                ReportText.print(report, repair, out);
            }
            return report.differences() == 0 ? GeofaSync.OK : GeofaSync.PROBLEMS;
        }
    }
}
