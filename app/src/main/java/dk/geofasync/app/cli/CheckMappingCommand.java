package dk.geofasync.app.cli;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.core.mapping.InvalidMappingException;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code geofa-sync check-mapping}: validates a mapping file and shows what it syncs. */
@Command(name = "check-mapping", mixinStandardHelpOptions = true,
        description = "Check a mapping file against the GeoFA themes and show which VK tables and columns it syncs.")
public final class CheckMappingCommand implements Callable<Integer> {

    @Mixin
    MappingOption mapping;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Mapping loaded;
        try {
            loaded = mapping.load();
        } catch (InvalidMappingException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return GeofaSync.PROBLEMS;
        }
        out.println(mapping.file() + " is valid: " + loaded.tables().size() + " table(s)");
        for (TableMapping t : loaded.tables()) {
            out.printf("  %-28s -> %-16s key %s, objekt_id into %s, %d columns, constants %s%n",
                    t.table(), t.theme().name(), t.keyColumn(), t.objektIdColumn(), t.columns().size(), t.constants().keySet());
        }
        return GeofaSync.OK;
    }
}
