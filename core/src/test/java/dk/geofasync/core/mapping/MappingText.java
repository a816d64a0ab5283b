package dk.geofasync.core.mapping;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** A mapping file written inline in a test, loaded against the shipped catalogue; or the problems it has. */
final class MappingText {

    private MappingText() {
    }

    static Mapping load(String yaml) {
        return MappingLoader.standard().load("test.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The loader's message for a mapping it refuses; fails the test when it takes it. */
    static String problemsOf(String yaml) {
        try {
            load(yaml);
        } catch (InvalidMappingException e) {
            return e.getMessage();
        }
        throw new AssertionError("the mapping was accepted:\n" + yaml);
    }
}
