package dk.geofasync.app.cli;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.core.mapping.InvalidMappingException;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.MappingLoader;
import dk.geofasync.core.mapping.TableMapping;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geofa-sync check-mapping}: validates a mapping file and shows what it syncs. */
@Command(name = "check-mapping", mixinStandardHelpOptions = true,
        description = "Check a mapping file against the GeoFA themes and show which VK tables and columns it syncs.")
public final class CheckMappingCommand implements Callable<Integer> {

    @Option(names = "--mapping", defaultValue = "${env:GEOFA_SYNC_MAPPING:-config/mapping-vk.yml}", paramLabel = "FILE",
            description = "the mapping file (env GEOFA_SYNC_MAPPING; default: ${DEFAULT-VALUE})")
    Path mappingFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Mapping mapping;
        try {
            mapping = MappingLoader.standard().load(mappingFile);
        } catch (InvalidMappingException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return GeofaSync.PROBLEMS;
        }
        out.println(mappingFile + " is valid: " + mapping.tables().size() + " table(s)");
        for (TableMapping t : mapping.tables()) {
            out.printf("  %-28s -> %-16s key %s, objekt_id into %s, %d columns, constants %s%n",
                    t.table(), t.theme().name(), t.keyColumn(), t.objektIdColumn(), t.columns().size(), t.constants().keySet());
        }
        return GeofaSync.OK;
    }
}
