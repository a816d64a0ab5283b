package dk.geofasync.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.datacheck.DataCheck;
import dk.geofasync.app.datacheck.Findings;
import dk.geofasync.app.datacheck.JsonFindings;
import dk.geofasync.app.datacheck.TextFindings;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.mapping.InvalidMappingException;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geofa-sync check-data}: lists the VK rows GeoFA would refuse, before the sync sends them. */
@Command(name = "check-data", mixinStandardHelpOptions = true,
        description = {"List the VK rows GeoFA would refuse, judged by the FKG catalogue's rules as the applier judges them before",
            "sending: required columns, type, length, code lists, CHECK rules (ranges, dates in year 1) and the geometry (kind, validity, SRID).",
            "Reads the mapped columns after the mapping's transforms and value maps; sends and writes nothing.",
            "Values of columns the mapping marks sensitive are not shown.",
            "Exit code 0: GeoFA would take every row; 1: some rows would be refused (listed); 2: could not run."})
public final class CheckDataCommand implements Callable<Integer> {

    @Option(names = "--table", paramLabel = "SCHEMA.TABLE", description = "only this table of the mapping")
    String table;
    @Option(names = "--json", description = "print JSON for scripts")
    boolean json;
    @Mixin
    MappingOption mapping;
    @Mixin
    DatabaseOptions database;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Mapping loaded;
        try {
            loaded = mapping.load();
        } catch (InvalidMappingException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return GeofaSync.PROBLEMS;
        }
        List<TableMapping> tables = table == null ? loaded.tables() : List.of(loaded.table(table).orElseThrow(
                () -> new IllegalArgumentException("table " + table + " is not in the mapping " + loaded.source() + "; it maps "
                        + loaded.tables().stream().map(t -> t.table().toString()).toList())));
        PrintWriter out = spec.commandLine().getOut();
        Findings findings = json ? new JsonFindings(out) : new TextFindings(out);
        try (HikariDataSource vk = database.open("check-data", 1)) {
            long refused = new DataCheck(vk, FkgCatalogue.standard()).run(tables, findings);
            return refused == 0 ? GeofaSync.OK : GeofaSync.PROBLEMS;
        }
    }
}
