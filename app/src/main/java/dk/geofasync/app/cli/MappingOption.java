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

    /** The mapping, or empty when the file is missing or invalid (for commands that can do without it). */
    public java.util.Optional<Mapping> loadIfReadable() {
        try {
            return java.util.Optional.of(load());
        } catch (dk.geofasync.core.mapping.InvalidMappingException e) {
            return java.util.Optional.empty();
        }
    }

    public Path file() {
        return file;
    }
}
