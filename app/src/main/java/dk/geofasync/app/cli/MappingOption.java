package dk.geofasync.app.cli;

import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.MappingLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The mapping file option every command that needs the mapping shares. */
public final class MappingOption {

    @Option(names = "--mapping", defaultValue = "${env:GEOFA_SYNC_MAPPING:-config/mapping-vk.yml}", paramLabel = "FILE",
            description = "the mapping file (env GEOFA_SYNC_MAPPING; default: ${DEFAULT-VALUE})")
    Path file;

    /** @throws dk.geofasync.core.mapping.InvalidMappingException naming every problem */
    public Mapping load() {
        return MappingLoader.standard().load(file);
    }

    public Path file() {
        return file;
    }
}
