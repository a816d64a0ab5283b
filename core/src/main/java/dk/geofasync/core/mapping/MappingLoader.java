package dk.geofasync.core.mapping;

import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.yaml.StrictYaml;
import dk.geofasync.core.yaml.YamlSyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a mapping file and validates it against the GeoFA theme catalogue. */
public final class MappingLoader {

    private final FkgCatalogue catalogue;

    public MappingLoader(FkgCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    public static MappingLoader standard() {
        return new MappingLoader(FkgCatalogue.standard());
    }

    /** @throws InvalidMappingException listing every problem, each naming file, table and column */
    public Mapping load(Path file) {
        String source = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            return load(source, in);
        } catch (NoSuchFileException e) {
            throw new InvalidMappingException(source, "the mapping file does not exist", e);
        } catch (IOException e) {
            throw new InvalidMappingException(source, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads a mapping from a stream; {@code sourceName} names it in messages. */
    public Mapping load(String sourceName, InputStream in) {
        MappingFile file;
        try {
            file = StrictYaml.read(sourceName, in, MappingFile.class);
        } catch (YamlSyntaxException e) {
            throw new InvalidMappingException(sourceName, e.detail(), e);
        }
        return new MappingValidator(sourceName, catalogue).validate(file);
    }
}
